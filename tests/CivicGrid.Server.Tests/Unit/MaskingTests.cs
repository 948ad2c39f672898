using CivicGrid.Server.Infrastructure.Privacy;

namespace CivicGrid.Server.Tests.Unit;

public class MaskingTests
{
    [Theory]
    [InlineData("13812341234", "138****1234")]
    [InlineData("02988886666", "029****6666")]
    [InlineData("12345", "*****")]
    [InlineData(null, null)]
    public void Phone_KeepsThreeAndFourDigits(string? phone, string? expected) => Assert.Equal(expected, Masking.Phone(phone));

    [Fact]
    public void IdNumber_KeepsThreeAndFour() => Assert.Equal("110***********123X", Masking.IdNumber("11010119900307123X"));

    [Fact]
    public void PersonName_KeepsTheSurname() => Assert.Equal("王**", Masking.PersonName("王建国"));
}

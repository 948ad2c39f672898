using CivicGrid.Domain.Households;

namespace CivicGrid.Domain.Tests.Households;

public class IdNumberTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Theory]
    [InlineData("11010519491231002X")] // the standard's own example
    [InlineData("11010519491231002x")] // a lower-case x is read as X
    [InlineData("610103195803120016")]
    [InlineData(" 610103199001011238 ")]
    public void Check_AcceptsANumberWithItsCheckCharacter(string id) => Assert.Null(IdNumber.Check(id, Today));

    [Fact]
    public void CheckCharacter_IsIsoMod112_OfTheFirst17Digits()
    {
        Assert.Equal('X', IdNumber.CheckCharacter("11010519491231002"));
        Assert.Equal('6', IdNumber.CheckCharacter("61010319580312001"));
        Assert.Throws<ArgumentException>(() => IdNumber.CheckCharacter("6101031958031200"));
    }

    [Theory]
    [InlineData("610103195803120017", IdNumberProblem.CheckDigit)]
    [InlineData("110105194912310021", IdNumberProblem.CheckDigit)]
    [InlineData("61010319580312001", IdNumberProblem.Length)]
    [InlineData("6101031958031200166", IdNumberProblem.Length)]
    [InlineData("61010319580312A016", IdNumberProblem.Characters)]
    [InlineData("61010319580312001Y", IdNumberProblem.Characters)]
    [InlineData("610103195802300010", IdNumberProblem.BirthDate)] // 30 February
    [InlineData("610103189912310010", IdNumberProblem.BirthDate)] // before 1900
    [InlineData("610103202712010010", IdNumberProblem.BirthDate)] // not born yet
    public void Check_NamesTheFirstProblem(string id, IdNumberProblem expected) => Assert.Equal(expected, IdNumber.Check(id, Today));

    [Fact]
    public void BirthDate_AndSex_AreReadFromTheNumber()
    {
        Assert.Equal(new DateOnly(1949, 12, 31), IdNumber.BirthDate("11010519491231002X"));
        Assert.False(IdNumber.IsMale("11010519491231002X"));
        Assert.True(IdNumber.IsMale("610103195803120016"));
        Assert.Null(IdNumber.BirthDate("610103195813120016"));
    }

    [Fact]
    public void EveryProblem_HasAChineseMessage() =>
        Assert.All(Enum.GetValues<IdNumberProblem>(), p => Assert.Contains("身份证", p.ToChinese(), StringComparison.Ordinal));
}

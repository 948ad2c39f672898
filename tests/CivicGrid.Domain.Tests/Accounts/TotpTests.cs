using System.Text;
using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests.Accounts;

public class TotpTests
{
    /// <summary>The secret of RFC 4226 appendix D and RFC 6238 appendix B (SHA-1).</summary>
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(0, "755224")]
    [InlineData(1, "287082")]
    [InlineData(2, "359152")]
    [InlineData(3, "969429")]
    [InlineData(4, "338314")]
    [InlineData(5, "254676")]
    [InlineData(6, "287922")]
    [InlineData(7, "162583")]
    [InlineData(8, "399871")]
    [InlineData(9, "520489")]
    public void Hotp_MatchesTheRfc4226TestVectors(long counter, string expected) =>
        Assert.Equal(expected, Totp.Hotp(RfcSecret, counter));

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void CodeAt_MatchesTheRfc6238Sha1TestVectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.CodeAt(RfcSecret, DateTimeOffset.FromUnixTimeSeconds(unixSeconds), digits: 8));

    [Fact]
    public void CodeAt_WithSixDigits_IsTheLastSixOfTheEightDigitCode() =>
        Assert.Equal("287082", Totp.CodeAt(RfcSecret, DateTimeOffset.FromUnixTimeSeconds(59)));

    [Fact]
    public void Verify_TheCurrentCode_IsAcceptedWithItsStep()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var verdict = Totp.Verify(RfcSecret, Totp.CodeAt(RfcSecret, now), now, lastUsedStep: 0);

        Assert.Equal(TotpOutcome.Accepted, verdict.Outcome);
        Assert.Equal(Totp.StepAt(now), verdict.Step);
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(30)]
    public void Verify_ACodeOneStepAwayEitherSide_IsAccepted(int offsetSeconds)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var code = Totp.CodeAt(RfcSecret, now.AddSeconds(offsetSeconds));

        Assert.Equal(TotpOutcome.Accepted, Totp.Verify(RfcSecret, code, now, 0).Outcome);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(60)]
    public void Verify_ACodeTwoStepsAway_IsWrong(int offsetSeconds)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var code = Totp.CodeAt(RfcSecret, now.AddSeconds(offsetSeconds));

        Assert.Equal(TotpOutcome.Wrong, Totp.Verify(RfcSecret, code, now, 0).Outcome);
    }

    [Fact]
    public void Verify_ACodeOfAStepAlreadyUsed_IsAReplay()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var code = Totp.CodeAt(RfcSecret, now);
        var first = Totp.Verify(RfcSecret, code, now, 0);

        var second = Totp.Verify(RfcSecret, code, now.AddSeconds(5), first.Step);

        Assert.Equal(TotpOutcome.Replayed, second.Outcome);
    }

    [Fact]
    public void Verify_AnOlderCodeAfterANewerOneWasUsed_IsAReplay()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var older = Totp.CodeAt(RfcSecret, now.AddSeconds(-30));

        Assert.Equal(TotpOutcome.Replayed, Totp.Verify(RfcSecret, older, now, Totp.StepAt(now)).Outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void Verify_SomethingThatIsNotSixDigits_IsWrong(string? code) =>
        Assert.Equal(TotpOutcome.Wrong, Totp.Verify(RfcSecret, code, DateTimeOffset.FromUnixTimeSeconds(1_800_000_015), 0).Outcome);

    [Fact]
    public void Verify_IgnoresSpacesInTheCode()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var code = Totp.CodeAt(RfcSecret, now);

        Assert.Equal(TotpOutcome.Accepted, Totp.Verify(RfcSecret, $"{code[..3]} {code[3..]}", now, 0).Outcome);
    }

    [Fact]
    public void Base32_RoundTripsAndMatchesRfc4648()
    {
        Assert.Equal("MZXW6YTBOI", Base32.Encode(Encoding.ASCII.GetBytes("foobar")));
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Base32.Encode(RfcSecret));
        Assert.Equal(RfcSecret, Base32.Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"));
        Assert.Throws<FormatException>(() => Base32.Decode("ABC1"));
    }

    [Fact]
    public void KeyUri_NamesTheIssuerAccountAndParameters()
    {
        var uri = Totp.KeyUri("CivicGrid", "admin", RfcSecret);

        Assert.Equal("otpauth://totp/CivicGrid:admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=CivicGrid&algorithm=SHA1&digits=6&period=30", uri);
    }
}

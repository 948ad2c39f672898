using System.Diagnostics;
using System.Security.Cryptography;
using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Privacy;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>The key ring of personal data at rest, without a database (ADR 0019).</summary>
public sealed class FieldVaultTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"civicgrid-vault-{Guid.NewGuid():N}");
    private readonly FieldVault _vault;

    public FieldVaultTests() => _vault = new FieldVault(new DataDirectory(_directory));

    public void Dispose()
    {
        _vault.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Seal_GivesADifferentValueEachTime_ThatOpensUnderItsFieldOnly()
    {
        var first = _vault.Seal("case.reporterPhone", "13912345678");
        var second = _vault.Seal("case.reporterPhone", "13912345678");

        Assert.NotEqual(first, second);
        Assert.DoesNotContain("13912345678", first, StringComparison.Ordinal);
        Assert.True(FieldVault.IsSealed(first));
        Assert.Equal("13912345678", _vault.Open("case.reporterPhone", first));
        Assert.Equal("13912345678", _vault.OpenStored("case.reporterPhone", second));
        Assert.ThrowsAny<CryptographicException>(() => _vault.Open("roster.phone", first));
    }

    [Theory]
    [InlineData("13912345678")]
    [InlineData("欧阳娜娜（刘芳代登记）")]
    [InlineData("029-87654321")]
    [InlineData("来电人")]
    public void ClearTextOfAnOlderVersion_IsNotTakenForASealedValue_AndOpensAsItIs(string clear)
    {
        Assert.False(FieldVault.IsSealed(clear));
        Assert.Equal(clear, _vault.OpenStored("case.timeline.actorName", clear));
    }

    [Fact]
    public void AfterAddKey_NewValuesUseIt_AndOldValuesStillOpen()
    {
        var old = _vault.Seal("user.phone", "13800001111");
        var next = _vault.AddKey();

        var sealedNow = _vault.Seal("user.phone", "13800001111");

        Assert.Equal(next, FieldVault.KeyIdOf(sealedNow));
        Assert.NotEqual(next, FieldVault.KeyIdOf(old));
        Assert.Equal("13800001111", _vault.Open("user.phone", old));
    }

    [Fact]
    public void BlindIndex_IsTheSameForTheSameNormalisedValue_AndDiffersByKind()
    {
        Assert.Equal(_vault.Index(FieldVault.PhoneField, "139 1234 5678"), _vault.Index(FieldVault.PhoneField, "13912345678"));
        Assert.NotEqual(_vault.Index(FieldVault.PhoneField, "13912345678"), _vault.Index(FieldVault.NameField, "13912345678"));
        Assert.NotEqual(_vault.Index(FieldVault.PhoneField, "13912345678"), _vault.Index(FieldVault.PhoneField, "13912345679"));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(100)]
    public void ASealedValue_FitsTheColumnSizedForItsLongestClearValue(int clearLength)
    {
        var longest = new string('龘', clearLength);

        Assert.True(_vault.Seal("need.requester", longest).Length <= FieldVault.SealedLength(clearLength));
    }

    [Fact]
    public void SealingAPhone_CostsMicroseconds_NotAKeyDerivation()
    {
        _vault.Open("case.reporterPhone", _vault.Seal("case.reporterPhone", "13912345678"));
        const int Count = 20_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
        {
            _vault.Open("case.reporterPhone", _vault.Seal("case.reporterPhone", "13912345678"));
        }

        // A few microseconds each on a quiet machine; the bound leaves room for a loaded one.
        Assert.True(clock.Elapsed.TotalMicroseconds / Count < 200, $"{clock.Elapsed.TotalMicroseconds / Count:F1} µs per seal and open");
    }
}

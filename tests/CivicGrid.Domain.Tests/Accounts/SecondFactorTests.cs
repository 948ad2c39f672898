using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests.Accounts;

public class SecondFactorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 15, TimeSpan.Zero);
    private static readonly byte[] Secret = Totp.NewSecret();

    private static SecondFactor Pending()
    {
        var factor = new SecondFactor(Guid.NewGuid(), Now);
        factor.StartEnrolment("protected");
        return factor;
    }

    private static (SecondFactor Factor, IReadOnlyList<string> Codes) Enrolled()
    {
        var factor = Pending();
        var (outcome, codes) = factor.ConfirmEnrolment(Secret, Totp.CodeAt(Secret, Now), Now);
        Assert.Equal(TotpOutcome.Accepted, outcome);
        return (factor, codes);
    }

    [Fact]
    public void ConfirmEnrolment_WithTheRightCode_EnrolsAndGivesTenDistinctRecoveryCodes()
    {
        var (factor, codes) = Enrolled();

        Assert.True(factor.IsEnrolled);
        Assert.Equal(SecondFactor.RecoveryCodeCount, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[A-Z2-9]{5}-[A-Z2-9]{5}$", c));
        Assert.Equal(10, factor.RecoveryCodesLeft);
        Assert.DoesNotContain(factor.RecoveryCodes, c => codes.Contains(c.CodeHash));
    }

    [Fact]
    public void ConfirmEnrolment_WithAWrongCode_StaysPending()
    {
        var factor = Pending();
        var wrong = Totp.CodeAt(Secret, Now.AddMinutes(10));

        var (outcome, codes) = factor.ConfirmEnrolment(Secret, wrong, Now);

        Assert.Equal(TotpOutcome.Wrong, outcome);
        Assert.Empty(codes);
        Assert.True(factor.IsPending);
    }

    [Fact]
    public void VerifyCode_TheEnrolmentCodeAgain_IsAReplay()
    {
        var (factor, _) = Enrolled();

        Assert.Equal(TotpOutcome.Replayed, factor.VerifyCode(Secret, Totp.CodeAt(Secret, Now), Now.AddSeconds(3)));
        Assert.Equal(TotpOutcome.Accepted, factor.VerifyCode(Secret, Totp.CodeAt(Secret, Now.AddSeconds(30)), Now.AddSeconds(30)));
    }

    [Fact]
    public void UseRecoveryCode_WorksOncePerCode()
    {
        var (factor, codes) = Enrolled();

        Assert.True(factor.UseRecoveryCode(codes[3].ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), Now));
        Assert.False(factor.UseRecoveryCode(codes[3], Now));
        Assert.False(factor.UseRecoveryCode("AAAAA-AAAAA", Now));
        Assert.Equal(9, factor.RecoveryCodesLeft);
    }

    [Fact]
    public void IssueRecoveryCodes_ReplacesTheOldOnes()
    {
        var (factor, old) = Enrolled();

        var fresh = factor.IssueRecoveryCodes(Now);

        Assert.False(factor.UseRecoveryCode(old[0], Now));
        Assert.True(factor.UseRecoveryCode(fresh[0], Now));
    }

    [Fact]
    public void StartEnrolment_WhenEnrolled_IsRefused()
    {
        var (factor, _) = Enrolled();

        Assert.Throws<InvalidOperationException>(() => factor.StartEnrolment("another"));
    }

    [Fact]
    public void Reset_ForgetsTheAuthenticatorAndRecoveryCodesAndAsksForANewEnrolment()
    {
        var (factor, codes) = Enrolled();
        var admin = Guid.NewGuid();

        factor.Reset(admin, Now);

        Assert.False(factor.IsEnrolled);
        Assert.Null(factor.ProtectedSecret);
        Assert.Empty(factor.RecoveryCodes);
        Assert.False(factor.UseRecoveryCode(codes[0], Now));
        Assert.Equal(admin, factor.ResetBy);
        Assert.Equal(SecondFactorStep.Enrol, SecondFactor.NextStep([Role.GridWorker], factor, requiredByRole: false));
    }

    [Theory]
    [InlineData(Role.SystemAdmin)]
    [InlineData(Role.SecurityAdmin)]
    [InlineData(Role.AuditAdmin)]
    [InlineData(Role.CommunityStaff)]
    [InlineData(Role.SubdistrictOperator)]
    [InlineData(Role.DistrictViewer)]
    public void NextStep_ARoleThatNeedsASecondFactorWithoutOne_MustEnrolWhenRequired(Role role)
    {
        Assert.Equal(SecondFactorStep.Enrol, SecondFactor.NextStep([role], null, requiredByRole: true));
        Assert.Equal(SecondFactorStep.None, SecondFactor.NextStep([role], null, requiredByRole: false));
    }

    [Theory]
    [InlineData(Role.GridWorker)]
    [InlineData(Role.GridLeader)]
    [InlineData(Role.MicroGridWorker)]
    [InlineData(Role.PropertyStaff)]
    [InlineData(Role.DepartmentLiaison)]
    [InlineData(Role.Resident)]
    public void NextStep_OtherRolesWithoutOne_SignInWithThePassword(Role role) =>
        Assert.Equal(SecondFactorStep.None, SecondFactor.NextStep([role], null, requiredByRole: true));

    [Fact]
    public void NextStep_AnyoneEnrolled_GivesACode()
    {
        var (factor, _) = Enrolled();

        Assert.Equal(SecondFactorStep.Verify, SecondFactor.NextStep([Role.GridWorker], factor, requiredByRole: false));
        Assert.Equal(SecondFactorStep.Verify, SecondFactor.NextStep([Role.SystemAdmin], factor, requiredByRole: true));
    }

    [Fact]
    public void NextStep_APendingEnrolmentOfARequiredRole_IsStillAnEnrolment() =>
        Assert.Equal(SecondFactorStep.Enrol, SecondFactor.NextStep([Role.SecurityAdmin], Pending(), requiredByRole: true));

    [Fact]
    public void NeedSecondFactor_IsTheAdministratorsAndEveryRoleThatMayRevealPersonalData() =>
        Assert.Equal(Roles.Administrators.Union(Roles.RevealPersonalData).Order(), Roles.NeedSecondFactor.Order());
}

using CivicGrid.Server.Features.Sms;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>Helpers for tests that send SMS.</summary>
public static class SmsKit
{
    /// <summary>Marks <paramref name="phone"/> verified, as a staff member (leader01) vouching for a caller's number does.</summary>
    public static Task VerifiedAsync(CivicGridApp app, string phone) => app.WithDatabaseAsync(async db =>
    {
        var staff = await db.Users.IgnoreQueryFilters().Where(u => u.UserName == "leader01").Select(u => u.Id).SingleAsync();
        db.PhoneVerifications.Add(PhoneVerification.ByStaff(db.BlindIndex(FieldVault.PhoneField, phone), staff, "test", DateTimeOffset.UtcNow));
        return await db.SaveChangesAsync();
    });
}

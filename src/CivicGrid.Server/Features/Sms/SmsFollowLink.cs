using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Sms;

/// <summary>
/// A call typed in by staff: the follow token goes to the caller by SMS, never into the staff member's answer, so the
/// staff member cannot follow, verify or rate the case as its reporter. The staff member vouches for the number they
/// heard (a <see cref="PhoneVerification"/> by <see cref="PhoneVerificationMethod.StaffEntry"/>, attributed to them); the
/// SMS then passes the same caps as any other.
/// </summary>
public static class SmsFollowLink
{
    /// <summary>The phone page that opens a case by its number and follow token.</summary>
    public static string LinkOf(string origin, string number, string token) => $"{origin.TrimEnd('/')}/m/mine/{number}#token={token}";

    /// <summary>Adds the attestation and the follow-link SMS to the transaction that stores the case (no-op without a mobile number).</summary>
    public static void Add(CivicGridDbContext db, Case subject, string followToken, Guid staffId, string origin, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.ReporterPhone is not { } phone || !SmsRules.IsMobile(phone))
        {
            return;
        }

        db.PhoneVerifications.Add(PhoneVerification.ByStaff(SmsRules.PhoneIndex(db, phone), staffId, subject.Number, now));
        db.OutboxMessages.Add(new OutboxMessage(OutboxMessage.MessageIdFor($"case:{subject.Id:N}:follow-link", OutboxChannel.Sms, phone), OutboxChannel.Sms, phone,
            SmsTemplates.FollowLink, new Dictionary<string, string> { ["number"] = subject.Number, ["link"] = LinkOf(origin, subject.Number, followToken) },
            subject.Number, now));
    }
}

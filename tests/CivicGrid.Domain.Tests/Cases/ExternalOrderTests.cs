using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>
/// A 12345 work order imported again: the case it filed takes the new description or contact through one verb, the
/// timeline keeps what the description was and never the phone, and nothing else may update it. Named after the rules.
/// </summary>
public class ExternalOrderTests
{
    private const string Order = "GD20261127000123";

    [Fact]
    public void ExternalUpdate_WithANewDescription_ReplacesIt_AndTheTimelineKeepsTheOldOne()
    {
        var subject = FromHotline();
        var before = subject.Description;

        subject.RecordExternalUpdate(Actor.System, subject.Version, Now, ExternalSources.Hotline12345, Order, "来电人补充：井盖已完全缺失，有人跌倒。", null);

        Assert.Equal("来电人补充：井盖已完全缺失，有人跌倒。", subject.Description);
        var entry = subject.Timeline[^1];
        Assert.Equal("external-update", entry.Action);
        Assert.False(entry.IsPublic);
        Assert.Equal(before, entry.Details["previous-description"]);
        Assert.Equal("false", entry.Details["contact-changed"]);
        Assert.Equal(CaseStatus.Reported, subject.Status);
        Assert.Equal(1, subject.Version);
        Assert.Null(subject.VerifyTimeline());
    }

    [Fact]
    public void ExternalUpdate_WithANewContact_StoresIt_ButTheTimelineOnlySaysItChanged()
    {
        var subject = FromHotline();

        subject.RecordExternalUpdate(Actor.System, subject.Version, Now, ExternalSources.Hotline12345, Order, subject.Description, "13900001111");

        Assert.Equal("13900001111", subject.ReporterPhone);
        var entry = subject.Timeline[^1];
        Assert.Equal("true", entry.Details["contact-changed"]);
        Assert.DoesNotContain(entry.Details.Values, v => v.Contains("13900001111", StringComparison.Ordinal));
        Assert.DoesNotContain("13900001111", entry.Note ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalUpdate_ThatChangesNothing_IsRefused() =>
        Refused.By("case.external-update.change-required", () =>
        {
            var subject = FromHotline();
            subject.RecordExternalUpdate(Actor.System, subject.Version, Now, ExternalSources.Hotline12345, Order, subject.Description, subject.ReporterPhone);
        });

    [Fact]
    public void ExternalUpdate_OfAnotherOrder_IsRefused() =>
        Refused.By("case.external-update.same-order-only", () =>
        {
            var subject = FromHotline();
            subject.RecordExternalUpdate(Actor.System, subject.Version, Now, ExternalSources.Hotline12345, "GD-OTHER", "新的描述", null);
        });

    [Fact]
    public void ExternalUpdate_OfACaseReportedHere_IsRefused() =>
        Refused.By("case.external-update.same-order-only", () =>
        {
            var subject = ACase().Build();
            subject.RecordExternalUpdate(Actor.System, subject.Version, Now, ExternalSources.Hotline12345, Order, "新的描述", null);
        });

    [Fact]
    public void ExternalUpdate_ByAPerson_IsRefused() =>
        Refused.By("case.actor.system-only", () =>
        {
            var subject = FromHotline();
            subject.RecordExternalUpdate(Actors.OperatorOf(Codes.Subdistrict), subject.Version, Now, ExternalSources.Hotline12345, Order, "新的描述", null);
        });

    private static Case FromHotline()
    {
        var subject = ACase().Anonymous().Build();
        subject.ExternalSource = ExternalSources.Hotline12345;
        subject.ExternalNumber = Order;
        subject.ReporterPhone = "13800002222";
        return subject;
    }
}

using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>The append-only, hash-chained timeline and the residents' public view of it.</summary>
public partial class CaseTimelineTests
{
    /// <summary>One way to tamper with each stored field of an entry; the keys are the entry's property names.</summary>
    private static readonly Dictionary<string, Func<CaseTimelineEntry, CaseTimelineEntry>> Tamperings = new()
    {
        [nameof(CaseTimelineEntry.Sequence)] = e => e with { Sequence = e.Sequence + 100 },
        [nameof(CaseTimelineEntry.At)] = e => e with { At = e.At.AddTicks(10) },
        [nameof(CaseTimelineEntry.ActorId)] = e => e with { ActorId = Guid.NewGuid() },
        [nameof(CaseTimelineEntry.ActorName)] = e => e with { ActorName = e.ActorName + "甲" },
        [nameof(CaseTimelineEntry.Action)] = e => e with { Action = e.Action == "close" ? "reject" : "close" },
        [nameof(CaseTimelineEntry.FromStatus)] = e => e with { FromStatus = e.FromStatus is null ? CaseStatus.Closed : null },
        [nameof(CaseTimelineEntry.ToStatus)] = e => e with { ToStatus = e.ToStatus == CaseStatus.Closed ? CaseStatus.Rejected : CaseStatus.Closed },
        [nameof(CaseTimelineEntry.FromTier)] = e => e with { FromTier = e.FromTier == CaseTier.Red ? CaseTier.Green : CaseTier.Red },
        [nameof(CaseTimelineEntry.ToTier)] = e => e with { ToTier = e.ToTier == CaseTier.Red ? CaseTier.Green : CaseTier.Red },
        [nameof(CaseTimelineEntry.FromGridCode)] = e => e with { FromGridCode = e.FromGridCode is null ? Codes.SiblingThirdGrid : null },
        [nameof(CaseTimelineEntry.ToGridCode)] = e => e with { ToGridCode = e.ToGridCode is null ? Codes.SiblingThirdGrid : e.ToGridCode + "1" },
        [nameof(CaseTimelineEntry.Note)] = e => e with { Note = e.Note is null ? string.Empty : e.Note + "。" },
        [nameof(CaseTimelineEntry.Details)] = e => e with { Details = e.Details.SetItem("rating", "1") == e.Details ? e.Details.SetItem("rating", "2") : e.Details.SetItem("rating", "1") },
        [nameof(CaseTimelineEntry.AttachmentIds)] = e => e with { AttachmentIds = e.AttachmentIds.Add(Guid.NewGuid()) },
        [nameof(CaseTimelineEntry.IsPublic)] = e => e with { IsPublic = !e.IsPublic },
        [nameof(CaseTimelineEntry.PublicText)] = e => e with { PublicText = e.PublicText + "！" },
        [nameof(CaseTimelineEntry.Hash)] = e => e with { Hash = new string('0', 64) },
    };

    public static TheoryData<string, int> EveryFieldOfEveryEntry()
    {
        var data = new TheoryData<string, int>();
        var count = AWorkedCase().Timeline.Count;
        foreach (var field in Tamperings.Keys)
        {
            for (var sequence = 1; sequence <= count; sequence++)
            {
                data.Add(field, sequence);
            }
        }

        return data;
    }

    [Fact]
    public void Timeline_OfAWorkedCase_Verifies()
    {
        var subject = AWorkedCase();

        Assert.Null(subject.VerifyTimeline());
        Assert.Null(CaseTimeline.Verify(subject.Number, subject.Timeline));
        Assert.Equal(Enumerable.Range(1, subject.Timeline.Count), subject.Timeline.Select(e => e.Sequence));
        Assert.All(subject.Timeline, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
        Assert.Equal(subject.Timeline.Count, subject.Timeline.Select(e => e.Hash).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(EveryFieldOfEveryEntry))]
    public void Tampering_WithAnyFieldOfAnyEntry_IsDetectedAtThatEntry(string field, int sequence)
    {
        var entries = AWorkedCase().Timeline.ToList();
        var original = entries[sequence - 1];

        entries[sequence - 1] = Tamperings[field](original);

        Assert.NotEqual(original, entries[sequence - 1]);
        Assert.Equal(sequence, CaseTimeline.Verify(AWorkedCase().Number, entries));
    }

    [Fact]
    public void Tamperings_CoverEveryPropertyOfAnEntry()
    {
        var properties = typeof(CaseTimelineEntry).GetProperties()
            .Where(p => p.Name != "EqualityContract")
            .Select(p => p.Name)
            .Order();

        Assert.Equal(properties, Tamperings.Keys.Order());
    }

    [Fact]
    public void RemovingAnEntry_IsDetectedWhereItWas()
    {
        var subject = AWorkedCase();
        var entries = subject.Timeline.ToList();

        entries.RemoveAt(3);

        Assert.Equal(4, CaseTimeline.Verify(subject.Number, entries));
    }

    [Fact]
    public void SwappingTwoEntries_IsDetectedAtTheFirst()
    {
        var subject = AWorkedCase();
        var entries = subject.Timeline.ToList();

        (entries[2], entries[3]) = (entries[3], entries[2]);

        Assert.Equal(3, CaseTimeline.Verify(subject.Number, entries));
    }

    [Fact]
    public void Timeline_MovedToAnotherCase_IsDetectedAtTheFirstEntry()
    {
        var subject = AWorkedCase();

        Assert.Equal(1, CaseTimeline.Verify("2026112700099", subject.Timeline));
    }

    [Fact]
    public void RecomputedHash_WithoutItsSuccessors_IsStillDetectedAtTheNextEntry()
    {
        var subject = AWorkedCase();
        var entries = subject.Timeline.ToList();
        var forged = entries[1] with { Note = "伪造" };
        entries[1] = forged with { Hash = CaseTimeline.HashOf(forged, entries[0].Hash) };

        Assert.Equal(3, CaseTimeline.Verify(subject.Number, entries));
    }

    [Fact]
    public void EntryTime_IsStoredInUtcToTheMicrosecond_SoItSurvivesTheDatabase()
    {
        var subject = ACase().Build();
        var beijing = new DateTimeOffset(2026, 11, 28, 9, 15, 0, TimeSpan.FromHours(8)).AddTicks(1234567);

        subject.Accept(Actors.GridLeaderOf(Codes.ThirdGrid), 0, beijing);

        var at = subject.Timeline[^1].At;
        Assert.Equal(TimeSpan.Zero, at.Offset);
        Assert.Equal(0, at.UtcTicks % 10);
        Assert.Equal(beijing.UtcTicks - 7, at.UtcTicks);
    }

    [Fact]
    public void Canonical_DistinguishesNullFromEmptyAndCannotBeShiftedAcrossFields()
    {
        var entry = ACase().Build().Timeline[0];

        Assert.NotEqual(CaseTimeline.Canonical(entry with { Note = null }), CaseTimeline.Canonical(entry with { Note = string.Empty }));
        Assert.NotEqual(
            CaseTimeline.Canonical(entry with { ActorName = "甲\naction=1:x", Action = "y" }),
            CaseTimeline.Canonical(entry with { ActorName = "甲", Action = "x\naction=1:y" }));
    }

    [Fact]
    public void PublicTimeline_HasNoStaffOnlyEntries()
    {
        var subject = AWorkedCase();

        var shown = subject.PublicTimeline();

        var staffOnly = subject.Timeline.Where(e => !e.IsPublic).Select(e => e.Sequence).ToList();
        Assert.Contains(subject.Timeline, e => e.Action == "return" && !e.IsPublic);
        Assert.Contains(subject.Timeline, e => e.Action == "supervise" && !e.IsPublic);
        Assert.DoesNotContain(shown, e => staffOnly.Contains(e.Sequence));
        Assert.Equal(subject.Timeline.Count(e => e.IsPublic), shown.Count);
    }

    [Fact]
    public void PublicTimeline_IsPlainChinese()
    {
        var subject = AWorkedCase();

        var shown = subject.PublicTimeline();

        Assert.All(shown, e => Assert.Matches(Chinese(), e.Text));
        Assert.All(shown, e => Assert.DoesNotMatch(Latin(), e.Text));
        Assert.DoesNotContain(shown, e => e.Text.Contains("李网格员", StringComparison.Ordinal) || e.Text.Contains("张网格长", StringComparison.Ordinal));
        Assert.Contains(shown, e => e.Text == "您反映的问题已交由网格长处理。");
        Assert.Equal("您反映的问题已办结，感谢您的支持。", shown[^1].Text);
    }

    [Fact]
    public void RestoreHistory_IsRecordedOnTheTimelineToo()
    {
        var subject = ACase().Build();

        subject.RestoreHistory(CaseTier.Yellow, CaseStatus.Closed, ReportedAt.AddDays(3), 4);

        Assert.Equal((CaseStatus.Closed, CaseTier.Yellow, 4, 1), (subject.Status, subject.Tier, subject.Rating, subject.Version));
        Assert.Equal("restore-history", subject.Timeline[^1].Action);
        Assert.Null(subject.VerifyTimeline());
    }

    /// <summary>
    /// A green case that went through most verbs: a return, a transfer (grid codes), an escalation (tiers), a
    /// mediation, a supervision, a failed verification, photos, a rating and a close.
    /// </summary>
    [Fact]
    public void Timeline_LoadedOutOfOrder_IsReadInOrder_AndExtendsTheChainFromItsLastEntry()
    {
        // A database returns a collection's rows in any order (PostgreSQL does): shuffle the loaded list.
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var field = typeof(Case).GetField("_timeline", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var list = (List<CaseTimelineEntry>)field.GetValue(subject)!;
        list.Reverse();

        Assert.Equal(Enumerable.Range(1, list.Count), subject.Timeline.Select(e => e.Sequence));
        Assert.Null(subject.VerifyTimeline());
        list.Reverse();
        (list[0], list[^1]) = (list[^1], list[0]);
        subject.Supervise(Actors.OperatorOf(Codes.Subdistrict), subject.Version, Now.AddDays(5), "请加快办理", Now.AddDays(6));

        Assert.Null(subject.VerifyTimeline());
        Assert.Equal("supervise", subject.Timeline[^1].Action);
    }

    private static Case AWorkedCase()
    {
        var subject = ACase().Build();
        var leader = Actors.GridLeaderOf(Codes.ThirdGrid);
        var siblingLeader = Actors.GridLeaderOf(Codes.SiblingThirdGrid);
        var community = Actors.CommunityStaffOf(Codes.Community);
        var at = ReportedAt;
        DateTimeOffset Next() => at = at.AddMinutes(7);

        subject.Accept(leader, subject.Version, Next());
        subject.Assign(leader, subject.Version, Next(), CaseAssignee.User(Actors.WorkerId, "李网格员"), at.AddDays(2));
        subject.Return(Actors.Worker, subject.Version, Next(), "位置在隔壁网格");
        subject.Transfer(leader, subject.Version, Next(), Codes.SiblingThirdGrid, "位置在隔壁网格");
        subject.Accept(siblingLeader, subject.Version, Next());
        subject.Escalate(siblingLeader, subject.Version, Next(), "邻里纠纷需社区调解", automatic: false);
        subject.Assign(community, subject.Version, Next(), CaseAssignee.User(Actors.WorkerId, "李网格员"), at.AddDays(3));
        subject.Supervise(Actors.OperatorOf(Codes.Subdistrict), subject.Version, Next(), "请本周内办结", at.AddDays(2));
        subject.StartHandling(Actors.Worker, subject.Version, Next());
        subject.RecordMediation(community, subject.Version, Next(), ["张网格长", "居民代表"], at.AddMinutes(-30), "社区议事厅", "约定清理时间");
        subject.RecordHandled(Actors.Worker, subject.Version, Next(), "已清理", [Guid.NewGuid(), Guid.NewGuid()]);
        subject.Verify(community, subject.Version, Next(), false, "仍有杂物");
        subject.RecordHandled(Actors.Worker, subject.Version, Next(), "已彻底清理", [Guid.NewGuid()]);
        subject.Verify(community, subject.Version, Next(), true, null);
        subject.Evaluate(Actors.Reporter, subject.Version, Next(), 4, "还可以");
        subject.Close(community, subject.Version, Next());
        return subject;
    }

    [GeneratedRegex("\\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [GeneratedRegex("[A-Za-z]")]
    private static partial Regex Latin();
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Domain.Assessment;

/// <summary>One computed indicator of one subject as the digest sees it: its value and the records behind it.</summary>
public sealed record DigestInput(string Subject, string Indicator, double Numerator, double? Denominator, IReadOnlyList<IndicatorEvidence> Evidence);

/// <summary>How a record (or an indicator's value) differs between a stored run and a recomputation.</summary>
public enum EvidenceChangeKind
{
    /// <summary>A record counts now that did not when the run was stored (a case filed or re-dated since).</summary>
    Added = 1,

    /// <summary>A record counted then and does not now (deleted, moved to another grid, re-dated).</summary>
    Removed = 2,

    /// <summary>The same record counts differently (in the numerator or not, another note).</summary>
    Changed = 3,
}

/// <summary>
/// One difference. <see cref="Reference"/> is the record's number; null when the indicator itself changed (its value, or the
/// indicator appears or disappears for the subject), so a value without evidence (a count entered by staff) is covered too.
/// </summary>
/// <param name="Before">The record (or value) as stored: <c>计入</c>/<c>未计入</c> and its note.</param>
/// <param name="After">The record (or value) now.</param>
public sealed record EvidenceChange(string Subject, string Indicator, string? Reference, EvidenceChangeKind Kind, string? Before, string? After);

/// <summary>
/// The digest of a run's inputs: SHA-256 over one canonical line per indicator value and per evidence record of every
/// indicator of every subject, sorted ordinally, so the same records give the same digest whatever order the sources
/// return them in, and any record added, removed or counted differently changes it. <see cref="Compare"/> names the
/// differences record by record.
/// </summary>
public static class InputDigest
{
    private const char Separator = '\u001f';

    /// <summary>The digest in lower-case hex (64 characters).</summary>
    public static string Compute(IEnumerable<DigestInput> inputs)
    {
        var lines = inputs.SelectMany(Lines).Order(StringComparer.Ordinal);
        var text = string.Join('\n', lines);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Every difference between the stored inputs and the recomputed ones, ordered by subject, indicator and record.</summary>
    public static IReadOnlyList<EvidenceChange> Compare(IEnumerable<DigestInput> stored, IEnumerable<DigestInput> now)
    {
        var before = stored.ToDictionary(i => (i.Subject, i.Indicator));
        var after = now.ToDictionary(i => (i.Subject, i.Indicator));
        var changes = new List<EvidenceChange>();
        foreach (var key in before.Keys.Union(after.Keys).OrderBy(k => k.Subject, StringComparer.Ordinal).ThenBy(k => k.Indicator, StringComparer.Ordinal))
        {
            before.TryGetValue(key, out var was);
            after.TryGetValue(key, out var @is);
            if (was is null || @is is null)
            {
                changes.Add(new EvidenceChange(key.Subject, key.Indicator, null, was is null ? EvidenceChangeKind.Added : EvidenceChangeKind.Removed,
                    was is null ? null : ValueText(was), @is is null ? null : ValueText(@is)));
                continue;
            }

            var wasRecords = was.Evidence.GroupBy(e => e.Reference, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var isRecords = @is.Evidence.GroupBy(e => e.Reference, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var reference in wasRecords.Keys.Union(isRecords.Keys).Order(StringComparer.Ordinal))
            {
                var old = wasRecords.GetValueOrDefault(reference);
                var @new = isRecords.GetValueOrDefault(reference);
                if (old is null || @new is null)
                {
                    changes.Add(new EvidenceChange(key.Subject, key.Indicator, reference, old is null ? EvidenceChangeKind.Added : EvidenceChangeKind.Removed,
                        old is null ? null : RecordText(old), @new is null ? null : RecordText(@new)));
                }
                else if (old.Counted != @new.Counted || old.Note != @new.Note)
                {
                    changes.Add(new EvidenceChange(key.Subject, key.Indicator, reference, EvidenceChangeKind.Changed, RecordText(old), RecordText(@new)));
                }
            }

            if (ValueText(was) != ValueText(@is) && !changes.Any(c => c.Subject == key.Subject && c.Indicator == key.Indicator))
            {
                changes.Add(new EvidenceChange(key.Subject, key.Indicator, null, EvidenceChangeKind.Changed, ValueText(was), ValueText(@is)));
            }
        }

        return changes;
    }

    private static IEnumerable<string> Lines(DigestInput input)
    {
        yield return string.Join(Separator, input.Subject, input.Indicator, "=", Number(input.Numerator), input.Denominator is { } d ? Number(d) : "-");
        foreach (var e in input.Evidence)
        {
            yield return string.Join(Separator, input.Subject, input.Indicator, e.Reference, e.Counted ? "1" : "0", e.Note ?? string.Empty);
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string ValueText(DigestInput input) =>
        input.Denominator is { } d ? $"{Number(input.Numerator)}/{Number(d)}" : Number(input.Numerator);

    private static string RecordText(IndicatorEvidence e) => e.Note is { Length: > 0 } note ? $"{(e.Counted ? "计入" : "未计入")}（{note}）" : e.Counted ? "计入" : "未计入";
}

/// <summary>
/// Correcting one stored indicator (审议调整, later an accepted appeal): the new numerator and denominator are checked
/// against the indicator's measure, and the subject is scored again with the run's catalogue.
/// </summary>
public static class IndicatorAdjustment
{
    /// <summary>What is wrong with a corrected value, in Chinese; null when it may be applied.</summary>
    public static string? Problem(IndicatorDefinition indicator, double numerator, double? denominator)
    {
        if (!double.IsFinite(numerator) || (denominator is { } d && !double.IsFinite(d)))
        {
            return "调整后的数值须为有效数字。";
        }

        return indicator.Measure switch
        {
            IndicatorMeasure.Ratio when denominator is not { } whole || whole < 0 || numerator < 0 || numerator > whole =>
                $"“{indicator.Name}”是比率：须填写分子和分母，且 0 ≤ 分子 ≤ 分母。",
            IndicatorMeasure.Count when denominator is not null || numerator < 0 => $"“{indicator.Name}”是计数：只填写不小于 0 的次数，不填分母。",
            IndicatorMeasure.Average when denominator is not null || numerator is < 1 or > 5 => $"“{indicator.Name}”是平均星级：只填写 1–5 之间的分数，不填分母。",
            _ => null,
        };
    }
}

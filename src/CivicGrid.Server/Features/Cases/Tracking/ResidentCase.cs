using System.Globalization;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Cases.Photos;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Cases.Tracking;

/// <summary>The handling result as the reporter sees it: what the handler wrote as the result and its photos, and which unit.</summary>
/// <param name="Unit">Who handled it as a unit, never a person: the department's name, or the owning level (网格长, 社区…).</param>
/// <param name="Reply">The handler's words recorded with the result (反馈); the same words go back to the 12345 hotline as 答复内容.</param>
/// <param name="PhotoIds">The photos recorded with the result (处置后).</param>
public sealed record ResidentResult(DateTimeOffset HandledAt, string Unit, string Reply, IReadOnlyList<Guid> PhotoIds);

/// <summary>
/// What the reporter's case page needs besides the history: the result, when it is expected, and which of their own verbs
/// they may take now (ADR 0038). Built the same way for a follow-token caller and a signed-in reporter.
/// </summary>
public static class ResidentCase
{
    /// <summary>
    /// The latest handling result that still stands (not sent back for more work since), or null. The reply is the note of
    /// the <c>record-handled</c> step, the unit the assigned department or the owning level; no staff name.
    /// </summary>
    public static ResidentResult? ResultOf(Case c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Status is not (CaseStatus.Handled or CaseStatus.Verified or CaseStatus.Evaluated or CaseStatus.Closed))
        {
            return null;
        }

        var handled = c.Timeline.LastOrDefault(e => e.Action == CaseVerbs.RecordHandled);
        if (handled is null)
        {
            return null;
        }

        var unit = c.AssigneeDepartmentId is not null && c.AssigneeName is { } department ? department : c.Tier.OwnerToChinese();
        return new ResidentResult(handled.At, unit, handled.Note ?? string.Empty, [.. handled.AttachmentIds]);
    }

    /// <summary>
    /// When the case is expected to be handled: the assignment's due time once assigned, else the category's limit at the
    /// case's colour counted from the report on the work calendar (what assignment would set); null for a final case.
    /// </summary>
    public static async Task<DateTimeOffset?> ExpectedByAsync(Case c, Catalogue.CategoryCache categories, WorkCalendarProvider calendars, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Status.IsFinal() || c.Status is CaseStatus.Handled or CaseStatus.Verified or CaseStatus.Evaluated)
        {
            return null;
        }

        if (c.DueAt is { } due)
        {
            return due;
        }

        var category = await categories.FindAsync(c.CategoryCode, ct);
        return category?.DueAt(await calendars.GetAsync(ct), c.ReportedAt, c.Tier);
    }

    /// <summary>
    /// 补充 over HTTP, for either route: reads <c>expectedVersion</c>, <c>text</c> and up to 9 <c>photos</c> from a multipart
    /// form (or JSON without photos), runs the verb, then stores the photos with the entry in one save.
    /// </summary>
    public static async Task<Results<Ok<CaseState>, ProblemHttpResult>> SupplementAsync(Case subject, Actor actor, HttpRequest request,
        CivicGridDbContext db, TimeProvider time, PhotoProcessor processor, CaseIntake intake, IOptions<PhotoOptions> photoOptions,
        IOptions<CaseOptions> caseOptions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(photoOptions);
        ArgumentNullException.ThrowIfNull(caseOptions);
        int? version;
        string? text;
        IReadOnlyList<IFormFile> files = [];
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(ct);
                version = int.TryParse(form["expectedVersion"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
                text = form["text"].ToString();
                files = [.. form.Files];
            }
            else
            {
                var body = await request.ReadFromJsonAsync<SupplementRequest>(ct);
                (version, text) = (body?.ExpectedVersion, body?.Text);
            }
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or BadHttpRequestException)
        {
            return Problems.Validation("body", "无法读取补充内容，请使用 multipart/form-data 或 JSON 格式。");
        }

        if (CaseActing.RequireVersion(version) is { } missing)
        {
            return missing;
        }

        if (files.Count > IntakeApi.MaxPhotosPerRequest)
        {
            return Problems.Validation("photos", $"一次最多补充 {IntakeApi.MaxPhotosPerRequest} 张照片。");
        }

        var existing = await db.CasePhotos.IgnoreQueryFilters().CountAsync(p => p.CaseId == subject.Id, ct);
        if (existing + files.Count > caseOptions.Value.MaxPhotosPerCase)
        {
            return Problems.Validation("photos", $"每个案件最多 {caseOptions.Value.MaxPhotosPerCase} 张照片，已有 {existing} 张。");
        }

        // The reporter's photos are held to the anonymous report's limit whoever sends them: it is the same person's phone.
        var (processed, refused) = await StoredPhoto.ProcessAllAsync(processor, files, ct, photoOptions.Value.AnonymousMaxBytes);
        if (refused is not null)
        {
            return refused;
        }

        var filesSaved = false;
        var result = await CaseActing.RunAsync(subject, actor, db, time, async (c, a, now) =>
        {
            var rows = processed.Select(p => StoredPhoto.From(p, c.Id, PhotoPurpose.Other, a.UserId == Guid.Empty ? null : a.UserId, now)).ToList();
            c.Supplement(a, version!.Value, now, text, [.. rows.Select(r => r.Id)]);
            db.CasePhotos.AddRange(rows);
            await intake.SavePhotoFilesAsync(processed, ct);
            filesSaved = true;
            return null;
        }, ct);
        if (filesSaved && result.Result is not Ok<CaseState>)
        {
            await intake.DeletePhotoFilesAsync(processed);
        }

        return result;
    }
}

/// <param name="Text">What the reporter adds, at most 500 characters; photos only through the multipart form.</param>
public sealed record SupplementRequest(int? ExpectedVersion, string? Text);

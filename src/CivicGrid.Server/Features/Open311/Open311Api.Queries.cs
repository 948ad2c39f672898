using System.Globalization;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Catalogue;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.Open311;

/// <summary>Reading requests back: by filter (<c>GET requests</c>) or by id, public facts only unless the caller filed them.</summary>
public static partial class Open311Api
{
    public static async Task<IResult> GetRequests(string format, HttpRequest request, CivicGridDbContext db, GeographyIndex geography,
        CategoryCache categories, TimeProvider time, CancellationToken ct)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var query = request.Query;
        var (caller, keyRefused) = await OptionalKeyAsync(f, db, Param(query, "api_key"), ct);
        if (keyRefused is not null)
        {
            return keyRefused;
        }

        var snapshot = await geography.GetAsync(ct);
        var (jurisdiction, refused) = ResolveJurisdiction(f, Param(query, "jurisdiction_id"), null, snapshot);
        if (refused is not null)
        {
            return refused;
        }

        var filter = RequestFilter.Parse(query, time.GetUtcNow(), out var errors);
        if (errors.Count > 0)
        {
            return Open311Document.Errors(f, StatusCodes.Status400BadRequest, [.. errors.Select(e => (400, e))]);
        }

        var rows = await FindAsync(db, jurisdiction!, filter, ct);
        return new Open311Document(StatusCodes.Status200OK, "service_requests",
            await DescribeAsync(db, rows, caller, snapshot, categories, ct), f);
    }

    public static async Task<IResult> GetRequest([Microsoft.AspNetCore.Mvc.FromRoute(Name = "service_request_id")] string serviceRequestId, string format,
        HttpRequest request, CivicGridDbContext db, GeographyIndex geography, CategoryCache categories, CancellationToken ct)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var (caller, keyRefused) = await OptionalKeyAsync(f, db, Param(request.Query, "api_key"), ct);
        if (keyRefused is not null)
        {
            return keyRefused;
        }

        var snapshot = await geography.GetAsync(ct);
        var (jurisdiction, refused) = ResolveJurisdiction(f, Param(request.Query, "jurisdiction_id"), null, snapshot);
        if (refused is not null)
        {
            return refused;
        }

        var rows = await FindAsync(db, jurisdiction!, new RequestFilter([serviceRequestId], [], null, null, null), ct);
        return rows.Count == 0
            ? Open311Document.Error(f, StatusCodes.Status404NotFound, $"没有服务请求“{serviceRequestId}”（service_request_id not found）。")
            : new Open311Document(StatusCodes.Status200OK, "service_requests", await DescribeAsync(db, rows, caller, snapshot, categories, ct), f);
    }

    private sealed record RequestRow(string Number, CaseStatus Status, string CategoryCode, string Description, string? Address, string? BuildingCode,
        Point Location, string GridCode, CaseTier Tier, DateTimeOffset ReportedAt, DateTimeOffset? DueAt, Guid? AssigneeDepartmentId,
        string? AssigneeName, DateTimeOffset? UpdatedAt, string? StatusNotes);

    private static async Task<List<RequestRow>> FindAsync(CivicGridDbContext db, string jurisdiction, RequestFilter filter, CancellationToken ct)
    {
        // Public facts of every case in the jurisdiction, whoever asks: the scope filter is set aside on purpose and
        // DescribeAsync leaves out what is not public.
        var cases = db.Cases.IgnoreQueryFilters().AsNoTracking().Where(c => c.GridCode.StartsWith(jurisdiction));
        if (filter.Ids.Count > 0)
        {
            // The specification: a list of ids overrides every other argument.
            cases = cases.Where(c => filter.Ids.Contains(c.Number));
        }
        else
        {
            if (filter.ServiceCodes.Count > 0)
            {
                cases = cases.Where(c => filter.ServiceCodes.Contains(c.CategoryCode));
            }

            cases = cases.Where(c => c.ReportedAt >= filter.Start!.Value && c.ReportedAt <= filter.End!.Value);
            if (filter.Closed is { } closed)
            {
                cases = closed
                    ? cases.Where(c => c.Status == CaseStatus.Closed || c.Status == CaseStatus.Rejected || c.Status == CaseStatus.Merged || c.Status == CaseStatus.Withdrawn)
                    : cases.Where(c => c.Status != CaseStatus.Closed && c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Merged);
            }
        }

        return await cases.OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Number).Take(MaxResults)
            .Select(c => new RequestRow(c.Number, c.Status, c.CategoryCode, c.Description, c.Address, c.BuildingCode, c.Location, c.GridCode, c.Tier,
                c.ReportedAt, c.DueAt, c.AssigneeDepartmentId, c.AssigneeName,
                c.Timeline.OrderByDescending(e => e.Sequence).Select(e => (DateTimeOffset?)e.At).FirstOrDefault(),
                c.Timeline.Where(e => e.IsPublic).OrderByDescending(e => e.Sequence).Select(e => e.PublicText).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Requests as the specification lists them. Everyone gets the public facts: id, status and its public note, service,
    /// who is in charge, times, and the position to about 100 m. The description, the address and the exact position may
    /// carry personal data; they go only to the client whose key filed the request.
    /// </summary>
    private static async Task<Open311List> DescribeAsync(CivicGridDbContext db, List<RequestRow> rows, ApiKey? caller, GeographySnapshot snapshot,
        CategoryCache categories, CancellationToken ct)
    {
        var numbers = rows.Select(r => r.Number).ToList();
        var filed = await db.Open311Requests.AsNoTracking().Where(r => numbers.Contains(r.CaseNumber)).ToDictionaryAsync(r => r.CaseNumber, ct);
        var catalogue = await categories.GetAllAsync(ct);
        var items = new List<object?>(rows.Count);
        foreach (var row in rows)
        {
            var own = caller is not null && filed.TryGetValue(row.Number, out var mine) && mine.ApiKeyId == caller.Id;
            var closed = row.Status.IsFinal();
            var department = row.AssigneeDepartmentId is not null ? row.AssigneeName : null;
            var serviceName = catalogue.TryGetValue(row.CategoryCode, out var category) ? category.Name : row.CategoryCode;
            items.Add(new Open311Object()
                .Add("service_request_id", row.Number)
                .Add("status", closed ? "closed" : "open")
                .Add("status_notes", row.StatusNotes)
                .Add("service_name", serviceName)
                .Add("service_code", row.CategoryCode)
                .Add("description", own ? row.Description : null)
                .Add("agency_responsible", AgencyOf(snapshot, row.GridCode, row.Tier, department))
                .Add("service_notice", null)
                .Add("requested_datetime", row.ReportedAt)
                .Add("updated_datetime", row.UpdatedAt ?? row.ReportedAt)
                .Add("expected_datetime", closed ? null : row.DueAt)
                .Add("address", own ? row.Address : null)
                .Add("address_id", own ? row.BuildingCode : null)
                .Add("zipcode", null)
                .Add("lat", own ? row.Location.Y : Math.Round(row.Location.Y, 3))
                .Add("long", own ? row.Location.X : Math.Round(row.Location.X, 3))
                .Add("media_url", own ? filed[row.Number].MediaUrl : null));
        }

        return new Open311List("request", items);
    }

    /// <summary>The filters of GET requests after the specification's defaults are applied.</summary>
    /// <param name="Closed">True for closed only, false for open only, null for both.</param>
    private sealed record RequestFilter(IReadOnlyList<string> Ids, IReadOnlyList<string> ServiceCodes, DateTimeOffset? Start, DateTimeOffset? End, bool? Closed)
    {
        public static RequestFilter Parse(IQueryCollection query, DateTimeOffset now, out List<string> errors)
        {
            errors = [];
            var ids = List(Param(query, "service_request_id"));
            var codes = List(Param(query, "service_code"));
            var start = Time(Param(query, "start_date"), "start_date", endOfDay: false, errors);
            var end = Time(Param(query, "end_date"), "end_date", endOfDay: true, errors);
            bool? closed = null;
            var statuses = List(Param(query, "status"));
            foreach (var status in statuses.Where(s => s is not ("open" or "closed")))
            {
                errors.Add($"status 只能是 open 或 closed，收到“{status}”（status must be open or closed）。");
            }

            if (statuses.Count > 0 && statuses.Distinct().Count() == 1)
            {
                closed = statuses[0] == "closed";
            }

            // Without dates the most recent 90 days; with one date, 90 days from or up to it.
            (start, end) = (start, end) switch
            {
                (null, null) => (now - MaxRange, now),
                (null, { } e) => (e - MaxRange, e),
                ({ } s, null) => (s, s + MaxRange),
                _ => (start, end),
            };
            if (end < start)
            {
                errors.Add("end_date 早于 start_date（end_date is before start_date）。");
            }
            else if (end - start > MaxRange + TimeSpan.FromDays(1))
            {
                errors.Add("start_date 与 end_date 相隔不得超过 90 天（the range may not span more than 90 days）。");
            }

            // PostgreSQL compares timestamptz with UTC parameters only.
            return new RequestFilter(ids, codes, start?.ToUniversalTime(), end?.ToUniversalTime(), closed);
        }

        private static List<string> List(string? text) =>
            text is null ? [] : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

        /// <summary>A w3 date-time with its zone (<c>2010-01-01T00:00:00Z</c>); a bare date is a whole Beijing day.</summary>
        private static DateTimeOffset? Time(string? text, string name, bool endOfDay, List<string> errors)
        {
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Beijing);
                return endOfDay ? midnight.AddDays(1).AddTicks(-1) : midnight;
            }

            var hasZone = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
            if (hasZone && text.Contains('T', StringComparison.OrdinalIgnoreCase)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                return at;
            }

            errors.Add($"{name} 应为带时区的 ISO 8601 时间，如 2026-01-01T00:00:00+08:00（{name} must be a w3 date-time with a zone）。");
            return null;
        }
    }
}

using CivicGrid.Server.Features.Audit;
using System.Security.Claims;
using System.Text.Json;
using CivicGrid.Domain.Calendar;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Calendar;

/// <param name="ConfiguredYears">Years whose holiday notice is entered.</param>
/// <param name="Warning">In Chinese, when next year's notice is due (from November) and not yet entered.</param>
public sealed record CalendarResponse(WorkCalendarDefinition Definition, IReadOnlyList<int> ConfiguredYears, double WorkingHoursPerDay, string? Warning);

/// <summary>The work calendar (working hours, holidays and make-up working days) that deadlines count on.</summary>
public static class CalendarApi
{
    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/calendar").WithTags("Calendar");
        group.MapGet("/", Get).RequireAuthorization(Policies.Staff).WithName("GetWorkCalendar")
            .WithSummary("The work calendar: working periods (Beijing time), working weekdays, and per year the holidays and make-up working days.");
        group.MapPut("/", Put).RequireAuthorization(Policies.SystemAdmin).WithName("ReplaceWorkCalendar").WithSecurityEvent(SecurityEventKind.CalendarChanged, "calendar", "修改工作日历")
            .WithSummary("Replace the work calendar (system admin), e.g. to enter next year's State Council notice; every problem is reported at once.");
        return routes;
    }

    public static async Task<Ok<CalendarResponse>> Get(WorkCalendarProvider calendars, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok(Describe(await calendars.GetAsync(ct), time.GetUtcNow()));

    public static async Task<Results<Ok<CalendarResponse>, ProblemHttpResult>> Put(HttpRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        WorkCalendarProvider calendars, TimeProvider time, CancellationToken ct)
    {
        WorkCalendarDefinition? definition;
        try
        {
            definition = await JsonSerializer.DeserializeAsync<WorkCalendarDefinition>(request.Body, WorkCalendarProvider.Json, ct);
        }
        catch (JsonException e)
        {
            return Problems.Validation("calendar", $"日历格式不正确：{e.Message}");
        }

        if (definition is null)
        {
            return Problems.Validation("calendar", "请提交工作日历。");
        }

        var problems = definition.Validate();
        if (problems.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "The work calendar is invalid.",
                string.Join("；", problems.Select(p => p.MessageZh)),
                new Dictionary<string, object?>
                {
                    ["problems"] = problems.Select(p => new { kind = p.Kind.ToString(), date = p.Date, messageZh = p.MessageZh, messageEn = p.MessageEn }).ToList(),
                });
        }

        var json = JsonSerializer.Serialize(definition, WorkCalendarProvider.Json);
        var now = time.GetUtcNow();
        var stored = await db.SystemSettings.SingleOrDefaultAsync(s => s.Key == WorkCalendarProvider.SettingKey, ct);
        if (stored is null)
        {
            db.SystemSettings.Add(new SystemSetting(WorkCalendarProvider.SettingKey, json, caller.GetUserId(), now));
        }
        else
        {
            stored.Replace(json, caller.GetUserId(), now);
        }

        await db.SaveChangesAsync(ct);
        calendars.Invalidate();
        return TypedResults.Ok(Describe(WorkCalendar.FromDefinition(definition), now));
    }

    private static CalendarResponse Describe(WorkCalendar calendar, DateTimeOffset now)
    {
        var beijing = now.ToOffset(WorkCalendar.BeijingOffset);
        var years = calendar.Years.Select(y => y.Year).Order().ToList();
        var warning = beijing.Month >= 11 && !calendar.IsConfigured(beijing.Year + 1)
            ? $"尚未录入 {beijing.Year + 1} 年的节假日安排：国务院办公厅通知发布后请及时录入，否则期限只按周末计算。"
            : !calendar.IsConfigured(beijing.Year) ? $"尚未录入 {beijing.Year} 年的节假日安排，期限只按周末计算。" : null;
        return new CalendarResponse(calendar.ToDefinition(), years, calendar.WorkingHoursPerDay, warning);
    }
}

using System.Security.Claims;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Notifications;

public sealed record NotificationResponse(Guid Id, string Kind, string? CaseNumber, string Title, string Body, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <param name="Unread">Unread notifications of the caller in all, whatever the page.</param>
public sealed record NotificationPage(int Total, int Unread, int Page, int PageSize, IReadOnlyList<NotificationResponse> Items);

public sealed record UnreadCount(int Unread);

public sealed record MarkedRead(int Marked);

/// <summary>The caller's own in-app inbox (站内消息); every signed-in user has one, residents included.</summary>
public static class NotificationsApi
{
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications").WithTags("Notifications");
        group.MapGet("/", List).WithName("ListNotifications").WithSummary("The caller's own notifications, newest first; unread=true for unread only.");
        group.MapGet("/unread-count", CountUnread).WithName("CountUnreadNotifications").WithSummary("How many of the caller's notifications are unread.");
        group.MapPost("/{id:guid}/read", MarkRead).WithName("MarkNotificationRead").WithSummary("Mark one of the caller's notifications read.");
        group.MapPost("/read-all", MarkAllRead).WithName("MarkAllNotificationsRead").WithSummary("Mark all of the caller's notifications read.");
        group.MapNotificationChannels();
        return group;
    }

    public static async Task<Results<Ok<NotificationPage>, ProblemHttpResult>> List(bool? unread, int? page, int? pageSize, ClaimsPrincipal caller,
        CivicGridDbContext db, CancellationToken ct)
    {
        var size = pageSize ?? 20;
        var number = page ?? 1;
        var errors = new Dictionary<string, string[]>();
        if (size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"每页条数应在 1 到 {MaxPageSize} 之间。"];
        }

        if (number < 1)
        {
            errors["page"] = ["页码从 1 开始。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var own = Own(caller, db);
        var query = unread == true ? own.Where(n => n.ReadAt == null) : own;
        var total = await query.CountAsync(ct);
        var unreadCount = unread == true ? total : await own.CountAsync(n => n.ReadAt == null, ct);
        var items = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip((number - 1) * size).Take(size)
            .Select(n => new NotificationResponse(n.Id, n.Kind, n.CaseNumber, n.Title, n.Body, n.CreatedAt, n.ReadAt)).ToListAsync(ct);
        return TypedResults.Ok(new NotificationPage(total, unreadCount, number, size, items));
    }

    public static async Task<Ok<UnreadCount>> CountUnread(ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new UnreadCount(await Own(caller, db).CountAsync(n => n.ReadAt == null, ct)));

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        var found = await Own(caller, db).AsTracking().SingleOrDefaultAsync(n => n.Id == id, ct);
        if (found is null)
        {
            return Problems.NotFound("找不到这条消息，或它不是发给您的。");
        }

        found.MarkRead(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<MarkedRead>> MarkAllRead(ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var marked = await Own(caller, db).Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return TypedResults.Ok(new MarkedRead(marked));
    }

    /// <summary>
    /// The caller's own notifications. The query filter already limits a user to their own; this says it again, because
    /// an administrator's whole-system scope must not turn their inbox into everyone's.
    /// </summary>
    private static IQueryable<Notification> Own(ClaimsPrincipal caller, CivicGridDbContext db)
    {
        var userId = caller.GetUserId() ?? Guid.Empty;
        return db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
    }
}

using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Cases;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>The <c>CaseQueries</c> section: inboxes and export.</summary>
public sealed class CaseQueryOptions
{
    public const string Section = "CaseQueries";

    /// <summary>
    /// How far ahead the due-soon inbox looks, in working hours on the work calendar (8 = one working day): on a Friday
    /// evening it shows what falls due by Monday afternoon, over a holiday what falls due on the first day back.
    /// </summary>
    [Range(0.5, 200)]
    public double DueSoonWorkingHours { get; set; } = 8;

    /// <summary>The most rows one Excel export may hold; a larger selection is refused with a problem asking for narrower filters.</summary>
    [Range(1, 1_000_000)]
    public int ExportMaxRows { get; set; } = 50_000;
}

/// <summary>What a box needs to know about the request.</summary>
/// <param name="Cases">Every case the caller's scope lets them see (the context's filter already applied).</param>
/// <param name="Calendar">The work calendar deadlines count on.</param>
public sealed record CaseInboxContext(IQueryable<Case> Cases, CaseCaller Caller, DateTimeOffset Now, CaseQueryOptions Options, WorkCalendar Calendar);

/// <summary>
/// One work queue of the console (收件箱): a name for the URL, a Chinese title for the badge, and which of the caller's
/// visible cases it holds. Boxes are registered as singletons of this interface; <c>GET /api/cases/inbox</c> counts
/// every registered box and <c>GET /api/cases/inbox/{name}</c> lists one, so a feature adds a queue (such as intake's
/// ambiguous-location queue) by registering its own implementation — nothing here changes.
/// </summary>
public interface ICaseInbox
{
    /// <summary>Kebab-case, stable: it is part of the URL.</summary>
    string Name { get; }

    /// <summary>The badge's label, Chinese.</summary>
    string Title { get; }

    /// <summary>The order when the request asks for none.</summary>
    CaseSort DefaultSort => CaseSort.DueSoonest;

    /// <summary>Narrows <see cref="CaseInboxContext.Cases"/> to this box; must stay a translatable query.</summary>
    IQueryable<Case> Select(CaseInboxContext context);
}

/// <summary>
/// The built-in boxes. "My level" means the caller's scope node owns the case by its colour (<see cref="CaseCaller.OwnedAtMyLevel"/>);
/// the watch boxes (due soon, overdue, supervised) cover the case worker's whole scope — a level above sees what it
/// supervises — and, for handlers without a level (liaisons, property staff), what is assigned to them.
/// </summary>
public static class CaseInboxes
{
    public static IServiceCollection AddBuiltInCaseInboxes(this IServiceCollection services)
    {
        services.AddSingleton<ICaseInbox, MineInbox>();
        services.AddSingleton<ICaseInbox, GridOpenInbox>();
        services.AddSingleton<ICaseInbox, ToAcceptInbox>();
        services.AddSingleton<ICaseInbox, DueSoonInbox>();
        services.AddSingleton<ICaseInbox, OverdueInbox>();
        services.AddSingleton<ICaseInbox, SupervisedInbox>();
        return services;
    }

    /// <summary>Case workers watch their scope; everyone else only their own assignments.</summary>
    internal static IQueryable<Case> Watched(CaseInboxContext context) =>
        context.Caller.IsCaseWorker ? context.Cases : context.Cases.Where(context.Caller.AssignedToMe());

    private sealed class MineInbox : ICaseInbox
    {
        public string Name => "mine";

        public string Title => "我的待办";

        public IQueryable<Case> Select(CaseInboxContext context) => context.Cases
            .Where(c => c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling)
            .Where(context.Caller.AssignedToMe());
    }

    private sealed class GridOpenInbox : ICaseInbox
    {
        public string Name => "grid-open";

        public string Title => "本级在办";

        public CaseSort DefaultSort => CaseSort.Newest;

        public IQueryable<Case> Select(CaseInboxContext context) => context.Cases
            .Where(CaseFilter.IsOpen())
            .Where(context.Caller.OwnedAtMyLevel());
    }

    private sealed class ToAcceptInbox : ICaseInbox
    {
        public string Name => "to-accept";

        public string Title => "待受理";

        public CaseSort DefaultSort => CaseSort.Newest;

        public IQueryable<Case> Select(CaseInboxContext context) => context.Cases
            .Where(c => c.Status == CaseStatus.Reported)
            .Where(context.Caller.OwnedAtMyLevel());
    }

    private sealed class DueSoonInbox : ICaseInbox
    {
        public string Name => "due-soon";

        public string Title => "即将到期";

        public IQueryable<Case> Select(CaseInboxContext context)
        {
            var now = context.Now;
            // In UTC: PostgreSQL takes only UTC instants for timestamptz parameters, and the calendar answers in Beijing time.
            var until = context.Calendar.AddWorkingHours(now, context.Options.DueSoonWorkingHours).ToUniversalTime();
            return Watched(context)
                .Where(c => c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling)
                .Where(c => c.DueAt != null && c.DueAt >= now && c.DueAt < until);
        }
    }

    private sealed class OverdueInbox : ICaseInbox
    {
        public string Name => "overdue";

        public string Title => "已超期";

        public IQueryable<Case> Select(CaseInboxContext context) => Watched(context).Where(CaseFilter.IsOverdue(context.Now));
    }

    private sealed class SupervisedInbox : ICaseInbox
    {
        public string Name => "supervised";

        public string Title => "督办件";

        public IQueryable<Case> Select(CaseInboxContext context) => Watched(context).Where(CaseFilter.IsSupervised());
    }
}

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>
/// Test classes that run a job over the whole shared database (overdue escalation, reminders, auto-evaluation, outbox
/// delivery, the device silence check, the location queue's expiry) run alone, after the parallel ones. Such a job acts
/// on every test's cases, not only its own, and some run it with a clock hours ahead: an overdue case that
/// CaseQueryTests had just listed as overdue was once escalated by one of them before its next query, which then found
/// it no longer overdue.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalJobsCollection
{
    public const string Name = "Global jobs";
}

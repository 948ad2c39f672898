using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Deadlines;

/// <summary>
/// Due times as the catalogue and the work calendar set them: <see cref="CaseCategory.DueAt"/> for the case's
/// category and colour on the stored calendar. The assign endpoint proposes this due time; the jobs count on it.
/// </summary>
public sealed class CaseDeadlines(CivicGridDbContext db, WorkCalendarProvider calendars)
{
    /// <summary>When a case of <paramref name="categoryCode"/> and <paramref name="tier"/> assigned at <paramref name="start"/> is due.</summary>
    /// <exception cref="KeyNotFoundException">No such category.</exception>
    public async Task<DateTimeOffset> DueAtAsync(string categoryCode, CaseTier tier, DateTimeOffset start, CancellationToken ct)
    {
        var category = await db.CaseCategories.AsNoTracking().SingleOrDefaultAsync(c => c.Code == categoryCode, ct)
            ?? throw new KeyNotFoundException($"No case category '{categoryCode}'.");
        return category.DueAt(await calendars.GetAsync(ct), start, tier);
    }
}

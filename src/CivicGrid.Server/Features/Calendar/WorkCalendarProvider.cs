using System.Text.Json;
using CivicGrid.Domain.Calendar;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Calendar;

/// <summary>
/// The work calendar every deadline counts on: the one an administrator stored, else the seeded
/// Chinese calendar (2025 and 2026 from the State Council's notices). Cached; a change on this
/// instance takes effect at once, one on another instance within <see cref="CacheFor"/>.
/// </summary>
public sealed class WorkCalendarProvider(IServiceScopeFactory scopes, TimeProvider time)
{
    public const string SettingKey = "work-calendar";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    private (WorkCalendar Calendar, DateTimeOffset LoadedAt)? _cached;

    public async Task<WorkCalendar> GetAsync(CancellationToken ct)
    {
        if (_cached is { } cached && time.GetUtcNow() - cached.LoadedAt < CacheFor)
        {
            return cached.Calendar;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var stored = await db.SystemSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == SettingKey, ct);
        var calendar = stored is null
            ? ChineseHolidays.Default
            : WorkCalendar.FromDefinition(JsonSerializer.Deserialize<WorkCalendarDefinition>(stored.Json, Json)!);
        _cached = (calendar, time.GetUtcNow());
        return calendar;
    }

    /// <summary>Forgets the cached calendar, after this instance stored a new one.</summary>
    public void Invalidate() => _cached = null;
}

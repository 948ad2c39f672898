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
public sealed class WorkCalendarProvider(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    public const string SettingKey = "work-calendar";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    private readonly TimedSnapshot<WorkCalendar> _calendar = new(ct => LoadAsync(scopes, ct), time, CacheFor);

    public async Task<WorkCalendar> GetAsync(CancellationToken ct) => await _calendar.GetAsync(ct);

    /// <summary>Forgets the cached calendar, after this instance stored a new one.</summary>
    public void Invalidate() => _calendar.Invalidate();

    public void Dispose() => _calendar.Dispose();

    private static async Task<WorkCalendar> LoadAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var stored = await db.SystemSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == SettingKey, ct);
        return stored is null
            ? ChineseHolidays.Default
            : WorkCalendar.FromDefinition(JsonSerializer.Deserialize<WorkCalendarDefinition>(stored.Json, Json)!);
    }
}

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// A value read from the database and kept in memory for a while: the case catalogue, the work calendar, the Open311 API
/// keys, the devices. <see cref="Invalidate"/>, after a change on this instance, makes the next read load it again; a
/// change on another instance shows once the value is older than <c>keepFor</c> (ADR 0024 lists each).
/// <list type="bullet">
/// <item>A stale value is reloaded by one caller while the others go on with it; before the first load everyone waits for it.</item>
/// <item>A load that began before an invalidation serves its caller but is not kept, or it would bring back what the change replaced.</item>
/// </list>
/// </summary>
public sealed class TimedSnapshot<T>(Func<CancellationToken, Task<T>> load, TimeProvider time, TimeSpan keepFor) : IDisposable
    where T : class
{
    private sealed record Loaded(T Value, DateTimeOffset At);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private Loaded? _loaded;
    private int _generation;

    /// <summary>The value loaded and not invalidated since, however old; null when there is none.</summary>
    public T? Current => _loaded?.Value;

    /// <summary>The value, loaded now when there is none or it is older than <c>keepFor</c>.</summary>
    public async ValueTask<T> GetAsync(CancellationToken ct)
    {
        var loaded = _loaded;
        if (loaded is not null && time.GetUtcNow() - loaded.At < keepFor)
        {
            return loaded.Value;
        }

        if (loaded is null)
        {
            await _loading.WaitAsync(ct);
        }
        else if (!_loading.Wait(0, CancellationToken.None))
        {
            return loaded.Value;
        }

        try
        {
            if (_loaded is { } other && !ReferenceEquals(other, loaded) && time.GetUtcNow() - other.At < keepFor)
            {
                return other.Value;
            }

            var generation = Volatile.Read(ref _generation);
            var at = time.GetUtcNow();
            var value = await load(ct);
            if (generation == Volatile.Read(ref _generation))
            {
                _loaded = new Loaded(value, at);
            }

            return value;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Forgets the value, after this instance changed what it was loaded from.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _loaded = null;
    }

    public void Dispose() => _loading.Dispose();
}

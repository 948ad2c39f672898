using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;

namespace CivicGrid.Bench;

/// <summary>What one door × spread phase measured, before the database count is added.</summary>
/// <param name="Requests">Requests answered (HTTP) or messages published and acknowledged by the broker (MQTT).</param>
/// <param name="Created">Answers that say a case was created: 2xx, or 201 only for the webhook (200 is a repeat); for MQTT the published count.</param>
/// <param name="ByStatus">Non-2xx answers by status, and transport errors by exception name.</param>
/// <param name="WindowSeconds">From the first request sent to the last answer (MQTT: to the last case stored).</param>
/// <param name="LatenciesMs">Per request (MQTT: publish to the case being visible in the database), sorted.</param>
/// <param name="Note">Why the phase ended early, or what its latency means.</param>
internal sealed record DoorMeasure(long Requests, long Ok2xx, long Created, SortedDictionary<string, long> ByStatus, double WindowSeconds, double[] LatenciesMs,
    string? Note)
{
    public double Percentile(double p) =>
        LatenciesMs.Length == 0 ? 0 : LatenciesMs[Math.Clamp((int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];

    public string NonOkText => ByStatus.Count == 0 ? "0" : $"{ByStatus.Values.Sum()} ({string.Join(", ", ByStatus.Select(s => $"{s.Key}: {s.Value}"))})";
}

/// <summary>
/// The closed-loop HTTP load generator: <c>connections</c> callers, each with one request in flight, sending until the
/// deadline or until their request source runs dry, then waiting for their last answer (so no create is abandoned half-way
/// and "stored = created" is an exact check).
/// </summary>
internal static class DoorLoad
{
    /// <summary>Makes the n-th request of the phase, or null when the source ran dry (every device × alarm type used).</summary>
    public delegate HttpRequestMessage? RequestSource(long n);

    public static async Task<DoorMeasure> RunHttpAsync(HttpClient http, int connections, TimeSpan duration, RequestSource source, bool createdIs201Only)
    {
        var statuses = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentBag<double[]>();
        long sequence = -1, ok = 0, created = 0, answered = 0, dry = 0, shown = 0;
        var clock = Stopwatch.StartNew();
        var deadline = duration;
        var first = long.MaxValue;
        long last = 0;

        async Task CallerAsync()
        {
            var mine = new List<double>(4096);
            while (clock.Elapsed < deadline)
            {
                using var request = source(Interlocked.Increment(ref sequence));
                if (request is null)
                {
                    Interlocked.Exchange(ref dry, 1);
                    break;
                }

                var sent = clock.ElapsedTicks;
                InterlockedMin(ref first, sent);
                string? status;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var code = (int)response.StatusCode;
                    status = code is >= 200 and < 300 ? null : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (status is not null && Interlocked.Exchange(ref shown, 1) == 0)
                    {
                        Console.WriteLine($"  first refusal: {code} {await response.Content.ReadAsStringAsync()}");
                    }
                    if (status is null)
                    {
                        Interlocked.Increment(ref ok);
                        if (!createdIs201Only || code == 201)
                        {
                            Interlocked.Increment(ref created);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    status = e.GetType().Name;
                }

                var answeredAt = clock.ElapsedTicks;
                InterlockedMax(ref last, answeredAt);
                Interlocked.Increment(ref answered);
                mine.Add((answeredAt - sent) * 1000.0 / Stopwatch.Frequency);
                if (status is not null)
                {
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                }
            }

            latencies.Add([.. mine]);
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(CallerAsync)));
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        var window = first == long.MaxValue ? 0 : (last - first) / (double)Stopwatch.Frequency;
        return new DoorMeasure(answered, ok, created, new SortedDictionary<string, long>(statuses, StringComparer.Ordinal), window, all,
            dry == 1 ? "ended early: every device × alarm type of the run had opened its case" : null);
    }

    /// <summary>
    /// MQTT alarms: publishes (QoS 1) while fewer than <paramref name="window"/> published alarms are not yet stored as cases
    /// (a closed loop through the database, polled every 10 ms), until the deadline or the source runs dry; then waits until
    /// every alarm is stored or nothing more arrives for <paramref name="grace"/>. The k-th case stored is matched with the
    /// k-th alarm published (the server handles one subscription's messages in order), so latency is publish to the case
    /// being visible in the database, to the poll's 10 ms.
    /// </summary>
    public static async Task<DoorMeasure> RunMqttAsync(IMqttClient client, int window, TimeSpan duration, TimeSpan grace,
        Func<long, MqttApplicationMessage?> source, Func<Task<long>> countCases)
    {
        var baseline = await countCases();
        var clock = Stopwatch.StartNew();
        var stored = 0L;
        var storedAt = new List<double>(65536);
        using var stop = new CancellationTokenSource();
        var lastProgress = clock.Elapsed;
        var poller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = await countCases() - baseline;
                var at = clock.Elapsed.TotalMilliseconds;
                lock (storedAt)
                {
                    for (var k = storedAt.Count; k < now; k++)
                    {
                        storedAt.Add(at);
                    }
                }

                if (now > Volatile.Read(ref stored))
                {
                    lastProgress = clock.Elapsed;
                }

                Volatile.Write(ref stored, now);
                await Task.Delay(10, CancellationToken.None);
            }
        });

        var publishedAt = new List<double>(65536);
        var statuses = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var refused = 0L;
        var dry = false;
        while (clock.Elapsed < duration)
        {
            if (publishedAt.Count - Volatile.Read(ref stored) >= window)
            {
                await Task.Delay(1);
                continue;
            }

            if (source(publishedAt.Count) is not { } message)
            {
                dry = true;
                break;
            }

            var at = clock.Elapsed.TotalMilliseconds;
            var ack = await client.PublishAsync(message);
            if (!ack.IsSuccess)
            {
                refused++;
                statuses[$"puback {ack.ReasonCode}"] = statuses.GetValueOrDefault($"puback {ack.ReasonCode}") + 1;
            }

            publishedAt.Add(at);
        }

        lastProgress = clock.Elapsed;
        while (Volatile.Read(ref stored) < publishedAt.Count && clock.Elapsed - lastProgress < grace)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await poller;
        double[] latencies;
        double lastStored;
        lock (storedAt)
        {
            latencies = [.. storedAt.Take(publishedAt.Count).Select((t, k) => t - publishedAt[k])];
            lastStored = storedAt.Count == 0 ? 0 : storedAt[^1];
        }

        Array.Sort(latencies);
        var missing = publishedAt.Count - Math.Min(Volatile.Read(ref stored), publishedAt.Count);
        if (missing > 0)
        {
            statuses["not stored"] = missing;
        }

        var windowSeconds = publishedAt.Count == 0 ? 0 : (Math.Max(lastStored, publishedAt[^1]) - publishedAt[0]) / 1000;
        var note = $"at most {window} alarms published and not yet stored; latency = publish to the case counted in the database (10 ms polls)"
            + (dry ? "; ended early: every device × alarm type of the run had opened its case" : string.Empty);
        return new DoorMeasure(publishedAt.Count, publishedAt.Count - refused, publishedAt.Count - refused, statuses, windowSeconds,
            latencies, note);
    }

    /// <summary>A small JSON helper for the setup calls: the body or a failure with the server's answer.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static void InterlockedMin(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value < current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}

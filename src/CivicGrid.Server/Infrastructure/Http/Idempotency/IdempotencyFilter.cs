using System.Security.Cryptography;
using System.Text;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>
/// Makes a create endpoint safe to retry. With an <c>Idempotency-Key</c> header the first request
/// runs and its answer is stored; a retry of the same request gets that answer again (with
/// <c>Idempotent-Replayed: true</c>), the same key on a different request gets 422, and a retry
/// while the first still runs gets 409. Without the header the endpoint runs as usual.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyStore store, IdempotencyAnswers answers, IdempotencyInFlight inFlight, TimeProvider time,
    IOptions<IdempotencyOptions> options, ILogger<IdempotencyFilter> logger)
    : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const string KeyReusedType = "/problems/idempotency-key-reused";
    public const string InProgressType = "/problems/idempotency-in-progress";

    /// <summary>Anonymous keys share one namespace, so they must be long enough not to collide or be guessed.</summary>
    public const int MinAnonymousKeyLength = 16;

    /// <summary>
    /// <see cref="HttpContext.Items"/> key under which a door for machines (an Open311 API key) names the caller
    /// without an account, e.g. <c>apikey:{id}</c>; its keys then live in their own namespace.
    /// </summary>
    public const string CallerItem = "idempotency-caller";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return await next(context);
        }

        var userId = http.User.GetUserId();
        var key = values.Count == 1 ? values[0] : null;
        if (!IsValidKey(key))
        {
            return Problems.Validation(HeaderName, $"请求头 {HeaderName} 应为 1–{IdempotencyRecord.MaxKeyLength} 个可见 ASCII 字符，且只能有一个。");
        }

        var machine = http.Items[CallerItem] as string;
        if (userId is null && machine is null && key!.Length < MinAnonymousKeyLength)
        {
            return Problems.Validation(HeaderName, $"未登录时请求头 {HeaderName} 至少需要 {MinAnonymousKeyLength} 个字符，建议使用随机 UUID。");
        }

        var settings = options.Value;
        var fingerprint = await FingerprintAsync(http.Request, settings.MaxRequestBytes, http.RequestAborted);
        if (fingerprint is null)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "/problems/too-large", "The request is too large.", "上传的内容过大。");
        }

        var caller = userId is { } id ? $"user:{id:D}" : machine ?? "anonymous";
        if (http.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpointMetadata>()?.StoredByEffect == true)
        {
            return await RunStoredByEffectAsync(context, next, caller, key!, fingerprint, settings);
        }

        var claim = await store.ClaimAsync(caller, key!, fingerprint, settings, http.RequestAborted);
        if (claim is IdempotencyClaim.Existing { Record: var existing })
        {
            return Counted(http, Answer(existing, fingerprint, key!));
        }

        return await RunInTransactionAsync(context, next, new KeyClaim(((IdempotencyClaim.Claimed)claim).Record, key!), settings);
    }

    /// <summary>
    /// The usual case: the endpoint's changes go through the request's context, which runs inside a transaction opened
    /// here; the answer is stored in that same transaction before it commits. The effect and the key's completion commit
    /// together or not at all, so a crash at any point leaves either both (a retry gets the answer) or neither (a retry
    /// runs the request, once the key's in-progress timeout has passed).
    /// </summary>
    private async Task<object?> RunInTransactionAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, KeyClaim keyed,
        IdempotencyOptions settings)
    {
        var http = context.HttpContext;
        var db = http.RequestServices.GetRequiredService<CivicGridDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
        MemoryStream buffer;
        try
        {
            buffer = await RunIntoBufferAsync(http, await next(context));
        }
        catch
        {
            // The request failed before answering: nothing of it is kept, and the key is freed for the retry.
            await transaction.RollbackAsync(CancellationToken.None);
            await store.ReleaseAsync(keyed.Record, CancellationToken.None);
            throw;
        }

        using (buffer)
        {
            var status = http.Response.StatusCode;
            if (status >= 500)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                await store.ReleaseAsync(keyed.Record, CancellationToken.None);
            }
            else
            {
                // Not the request's token from here on: what the endpoint did must be kept even if the client has gone.
                if (!await store.CompleteAsync(db, keyed.Record, Seal(http, keyed, buffer, settings), CancellationToken.None))
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    http.Response.Clear();
                    return KeyLost();
                }

                await transaction.CommitAsync(CancellationToken.None);
            }

            return await SendAsync(http, buffer);
        }
    }

    /// <summary>
    /// An endpoint that commits its effect elsewhere (the intake writer) and stores the key, completed, in that transaction
    /// (<see cref="IdempotencyContext.CompleteWithEffect"/>): its result is sent as it is. Nothing is written before it runs:
    /// the key is held in this instance's memory while it runs, and across instances the key's unique index lets only one
    /// effect commit; the other attempt's save fails and it answers with the stored answer. When the endpoint answered
    /// without an effect (a refusal) the answer is stored here, in a transaction of its own.
    /// </summary>
    private async Task<object?> RunStoredByEffectAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string caller, string key,
        string fingerprint, IdempotencyOptions settings)
    {
        var http = context.HttpContext;
        var keyHash = IdempotencyRecord.HashKey(key);
        if (await store.FindLiveAsync(caller, keyHash, settings, http.RequestAborted) is { } existing)
        {
            return Counted(http, Answer(existing, fingerprint, key));
        }

        if (!inFlight.TryEnter(caller, keyHash, fingerprint, out var running))
        {
            return Counted(http, string.Equals(running, fingerprint, StringComparison.Ordinal) ? InProgress() : KeyReused());
        }

        try
        {
            var keyed = new KeyClaim(store.NewRecord(caller, keyHash, fingerprint, settings), key);
            var idempotency = http.RequestServices.GetRequiredService<IdempotencyContext>();
            idempotency.Claim = keyed;
            object? result;
            try
            {
                result = await next(context);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Another attempt with the key (on another instance) committed first: its effect stands, ours rolled back.
                if (await store.FindAsync(caller, keyHash, CancellationToken.None) is { } winner)
                {
                    logger.LogInformation(e, "A concurrent attempt with the same idempotency key committed first; its answer is replayed");
                    return Counted(http, Answer(winner, fingerprint, key));
                }

                throw;
            }

            if (idempotency.CompletedWithEffect)
            {
                return result;
            }

            using var buffer = await RunIntoBufferAsync(http, result);
            if (http.Response.StatusCode < 500
                && !await store.TryInsertAsync(keyed.Record.CompletedWith(Seal(http, keyed, buffer, settings), time.GetUtcNow()), CancellationToken.None)
                && await store.FindAsync(caller, keyHash, CancellationToken.None) is { } stored)
            {
                http.Response.Clear();
                return Counted(http, Answer(stored, fingerprint, key));
            }

            return await SendAsync(http, buffer);
        }
        finally
        {
            inFlight.Exit(caller, keyHash);
        }
    }

    /// <summary>An answer given from the key instead of running the endpoint, counted in the metrics.</summary>
    private static IResult Counted(HttpContext http, IResult answer) =>
        http.RequestServices.GetRequiredService<Features.Metrics.CivicGridMetrics>().IdempotentAnswer(answer);

    /// <summary>1–128 visible ASCII characters (0x21–0x7E): safe in logs, indexes and every client library.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= IdempotencyRecord.MaxKeyLength } && key.All(c => c is >= '!' and <= '~');

    private IResult Answer(IdempotencyRecord existing, string fingerprint, string key)
    {
        if (!string.Equals(existing.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return KeyReused();
        }

        return existing.State == IdempotencyState.InProgress
            ? InProgress()
            : new ReplayResult(existing, existing.ResponseBody is { } body ? answers.Open(existing.Caller, key, body) : null);
    }

    /// <summary>Runs the endpoint's result into a buffer, so its answer can be stored before it is sent.</summary>
    private static async Task<MemoryStream> RunIntoBufferAsync(HttpContext http, object? result)
    {
        var resultToRun = result switch
        {
            IResult r => r,
            string text => Results.Text(text),
            null => Results.Empty,
            _ => Results.Json(result),
        };

        var originalBody = http.Features.Get<IHttpResponseBodyFeature>()!;
        var buffer = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await resultToRun.ExecuteAsync(http);
            return buffer;
        }
        catch
        {
            await buffer.DisposeAsync();
            throw;
        }
        finally
        {
            http.Features.Set(originalBody);
        }
    }

    /// <summary>The buffered answer as it is stored: sealed with the client's key, or status and location only when over the cap.</summary>
    private StoredAnswer Seal(HttpContext http, KeyClaim keyed, MemoryStream buffer, IdempotencyOptions settings)
    {
        var location = http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
        if (buffer.Length > settings.MaxResponseBytes)
        {
            logger.LogWarning("Answer of {Length} bytes is over the idempotency cap; a retry gets its status and location only", buffer.Length);
            return new StoredAnswer(http.Response.StatusCode, null, location, null);
        }

        return new StoredAnswer(http.Response.StatusCode, http.Response.ContentType, location,
            buffer.Length == 0 ? null : answers.Seal(keyed.Record.Caller, keyed.Key, buffer.ToArray()));
    }

    /// <summary>Sends the buffered answer (stored before sent, so a phone that drops the connection while it travels gets it on the retry).</summary>
    private static async Task<object?> SendAsync(HttpContext http, MemoryStream buffer)
    {
        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
        return Results.Empty;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult KeyReused() =>
        Problems.Create(StatusCodes.Status422UnprocessableEntity, KeyReusedType, "The idempotency key was used for a different request.",
            "该幂等键已用于另一个请求，请为新的请求生成新的幂等键。");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult InProgress() =>
        Problems.Create(StatusCodes.Status409Conflict, InProgressType, "A request with this idempotency key is still running.",
            "同一请求正在处理中，请稍候再查看结果，不要重复提交。");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult KeyLost() =>
        Problems.Create(StatusCodes.Status409Conflict, InProgressType, "A later retry with this idempotency key took it over.",
            "该请求处理超时，已由重试的请求接手，本次未生效，请以重试的结果为准。");

    /// <summary>
    /// SHA-256 over method, path, query and the raw body bytes (multipart included, so a different
    /// photo is a different request). Null when the body is over the cap.
    /// </summary>
    private static async Task<string?> FingerprintAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        if (!request.Body.CanSeek)
        {
            throw new InvalidOperationException("The request body is not buffered: call app.UseIdempotency() before the endpoints run.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}\n{request.QueryString}\n"));
        if (request.HasFormContentType && request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
        {
            // A multipart body has a random boundary per send: the same report retried differs byte for byte, so it is
            // fingerprinted by what it says (fields, and each file's content in order), not by its bytes.
            request.Body.Position = 0;
            var form = await request.ReadFormAsync(ct);
            foreach (var field in form.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"f:{field.Key.Length}:{field.Key}:{field.Value.Count}\n"));
                foreach (var value in field.Value)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes($"{value?.Length ?? -1}:{value}\n"));
                }
            }

            foreach (var file in form.Files)
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"file:{file.Name}:{file.Length}\n"));
                await using var content = file.OpenReadStream();
                hash.AppendData(await SHA256.HashDataAsync(content, ct));
            }

            request.Body.Position = 0;
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        request.Body.Position = 0;
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return null;
            }

            hash.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Sends a stored answer again.</summary>
    private sealed class ReplayResult(IdempotencyRecord record, byte[]? body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = record.StatusCode ?? StatusCodes.Status200OK;
            response.Headers[ReplayedHeaderName] = "true";
            if (record.Location is not null)
            {
                response.Headers.Location = record.Location;
            }

            if (body is { Length: > 0 })
            {
                response.ContentType = record.ContentType;
                response.ContentLength = body.Length;
                await response.Body.WriteAsync(body, httpContext.RequestAborted);
            }
        }
    }
}

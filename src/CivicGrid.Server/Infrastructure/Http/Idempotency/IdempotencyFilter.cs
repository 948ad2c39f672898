using System.Security.Cryptography;
using System.Text;
using CivicGrid.Server.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>
/// Makes a create endpoint safe to retry. With an <c>Idempotency-Key</c> header the first request
/// runs and its answer is stored; a retry of the same request gets that answer again (with
/// <c>Idempotent-Replayed: true</c>), the same key on a different request gets 422, and a retry
/// while the first still runs gets 409. Without the header the endpoint runs as usual.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyStore store, IOptions<IdempotencyOptions> options, ILogger<IdempotencyFilter> logger) : IEndpointFilter
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
        var claim = await store.ClaimAsync(caller, key!, fingerprint, settings, http.RequestAborted);
        if (claim is IdempotencyClaim.Existing { Record: var existing })
        {
            return Answer(existing, fingerprint);
        }

        var record = ((IdempotencyClaim.Claimed)claim).Record;
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            // The request failed before answering: free the key so the retry can run it again.
            await store.DeleteAsync(record, CancellationToken.None);
            throw;
        }

        return await CaptureAsync(http, record, result, settings);
    }

    /// <summary>1–128 visible ASCII characters (0x21–0x7E): safe in logs, indexes and every client library.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= IdempotencyRecord.MaxKeyLength } && key.All(c => c is >= '!' and <= '~');

    private static IResult Answer(IdempotencyRecord existing, string fingerprint)
    {
        if (!string.Equals(existing.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, KeyReusedType, "The idempotency key was used for a different request.",
                "该幂等键已用于另一个请求，请为新的请求生成新的幂等键。");
        }

        return existing.State == IdempotencyState.InProgress
            ? Problems.Create(StatusCodes.Status409Conflict, InProgressType, "A request with this idempotency key is still running.",
                "同一请求正在处理中，请稍候再查看结果，不要重复提交。")
            : new ReplayResult(existing);
    }

    /// <summary>
    /// Runs the endpoint's result into a buffer, stores it (unless it is a server error, which frees
    /// the key instead) and then sends it: stored before sent, so a phone that drops the connection
    /// while the answer travels gets it on the retry.
    /// </summary>
    private async Task<object?> CaptureAsync(HttpContext http, IdempotencyRecord record, object? result, IdempotencyOptions settings)
    {
        var resultToRun = result switch
        {
            IResult r => r,
            string text => Results.Text(text),
            null => Results.Empty,
            _ => Results.Json(result),
        };

        var originalBody = http.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await resultToRun.ExecuteAsync(http);
        }
        catch
        {
            await store.DeleteAsync(record, CancellationToken.None);
            throw;
        }
        finally
        {
            http.Features.Set(originalBody);
        }

        var status = http.Response.StatusCode;
        if (status >= 500)
        {
            await store.DeleteAsync(record, CancellationToken.None);
        }
        else
        {
            var body = buffer.Length <= settings.MaxResponseBytes ? buffer.ToArray() : null;
            if (body is null)
            {
                logger.LogWarning("Answer of {Length} bytes is over the idempotency cap; a retry gets its status and location only", buffer.Length);
            }

            try
            {
                // Not the request's token: the answer must be kept even if the client has gone.
                await store.CompleteAsync(record, status, body is null ? null : http.Response.ContentType,
                    http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null, body, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The first answer still goes out; the key stays in progress until InProgressTimeout.
                logger.LogError(e, "Could not store the answer for an idempotency key");
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
        return Results.Empty;
    }

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
    private sealed class ReplayResult(IdempotencyRecord record) : IResult
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

            if (record.ResponseBody is { Length: > 0 } body)
            {
                response.ContentType = record.ContentType;
                response.ContentLength = body.Length;
                await response.Body.WriteAsync(body, httpContext.RequestAborted);
            }
        }
    }
}

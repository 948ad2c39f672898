using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicGrid.Server.Infrastructure.Http;

/// <summary>
/// RFC 9457 problem details: an English <c>type</c> and <c>title</c> for machines, a Chinese
/// <c>detail</c> for the person in front of the screen. Types are relative URIs under
/// <c>/problems/</c>, stable across versions.
/// </summary>
public static class Problems
{
    public const string ValidationType = "/problems/validation";
    public const string NotFoundType = "/problems/not-found";
    public const string UnauthorizedType = "/problems/unauthorized";
    public const string ForbiddenType = "/problems/forbidden";
    public const string ConflictType = "/problems/conflict";
    public const string InvalidCredentialsType = "/problems/invalid-credentials";
    public const string AccountLockedType = "/problems/account-locked";
    public const string SignInThrottledType = "/problems/sign-in-throttled";
    public const string TooManyRequestsType = "/problems/too-many-requests";
    public const string ServerErrorType = "/problems/server-error";

    /// <summary>400 with the fields at fault; each message is Chinese.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string detail = "请求中有无效的内容，请按提示修改后重试。") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ValidationType,
            Title = "One or more fields are invalid.",
            Detail = detail,
        });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, message);

    public static ProblemHttpResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, NotFoundType, "The resource was not found.", detail);

    public static ProblemHttpResult Conflict(string detail) =>
        Create(StatusCodes.Status409Conflict, ConflictType, "The request conflicts with the current state.", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, ForbiddenType, "The caller may not do this.", detail);

    public static ProblemHttpResult Create(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: type, extensions: extensions);

    /// <summary>
    /// Fills in problem details produced by the framework (status code pages, the exception
    /// handler, authentication challenges) with our types, titles and Chinese text, and a trace id.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        if (problem.Type is not null && problem.Type.StartsWith("/problems/", StringComparison.Ordinal))
        {
            return;
        }

        var (type, title, detail) = problem.Status switch
        {
            400 => (ValidationType, "The request is invalid.", "请求格式不正确。"),
            401 => (UnauthorizedType, "Authentication is required.", "请先登录，或登录已过期，请重新登录。"),
            403 => (ForbiddenType, "The caller may not do this.", "您没有执行此操作的权限。"),
            404 => (NotFoundType, "The resource was not found.", "找不到请求的内容，或它不在您的管辖范围内。"),
            405 => ("/problems/method-not-allowed", "The method is not allowed here.", "不支持此请求方式。"),
            409 => (ConflictType, "The request conflicts with the current state.", "数据已被他人修改，请刷新后重试。"),
            413 => ("/problems/too-large", "The request is too large.", "上传的内容过大。"),
            415 => ("/problems/unsupported-media-type", "The media type is not supported.", "不支持的内容格式。"),
            429 => (TooManyRequestsType, "Too many requests.", "请求过于频繁，请稍后再试。"),
            >= 500 => (ServerErrorType, "An unexpected error occurred.", "服务器出现意外错误，已记录，请稍后再试。"),
            _ => ("/problems/http-" + problem.Status, problem.Title ?? "Error", problem.Detail ?? "请求未能完成。"),
        };
        problem.Type = type;
        problem.Title = title;
        // The framework's English detail (or an exception message) is not for users.
        problem.Detail = detail;

        // A body that does not read as its declared type (a number sent as text, a value not in the list…): name the field.
        if (context.Exception is BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { Length: > 2 } path } })
        {
            var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            var message = $"“{field}”的值格式不正确：数字请直接填写数字（不加引号），可选值请使用接口文档列出的取值。";
            problem.Detail = message;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        }
    }

    /// <summary>
    /// The status of an exception that reached the exception handler: a request the framework could not bind (a body that
    /// does not read, a bad route or query value) keeps its 400, everything else is a 500.
    /// </summary>
    public static int StatusOf(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
}

using System.Text.Json;
using System.Threading.RateLimiting;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Features.Catalogue;
using CivicGrid.Server.Features.Deadlines;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Features.District;
using CivicGrid.Server.Features.Geo;
using CivicGrid.Server.Features.GridImport;
using CivicGrid.Server.Features.Grids;
using CivicGrid.Server.Features.Hotline;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Features.Operations;
using CivicGrid.Server.Features.Open311;
using CivicGrid.Server.Features.Routing;
using CivicGrid.Server.Features.Users;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace CivicGrid.Server.Infrastructure.Hosting;

public static class ServerSetup
{
    /// <summary>Everything the server needs, for the web host and the operator commands alike.</summary>
    public static WebApplicationBuilder AddCivicGrid(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var dataDirectory = DataDirectory.Resolve(builder.Configuration);
        services.AddSingleton(dataDirectory);
        services.AddSingleton(TimeProvider.System);

        services.AddCivicGridPersistence(builder.Configuration, dataDirectory);
        services.AddCivicGridAuth(builder.Configuration, dataDirectory);
        services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection(DemoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<GridImporter>();
        services.AddScoped<TimelineAudit>();
        services.AddSingleton<WorkCalendarProvider>();
        services.AddPhotoStorage(builder.Configuration);
        services.AddCivicGridIdempotency(builder.Configuration);
        services.AddOptions<CaseOptions>().Bind(builder.Configuration.GetSection(CaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CaseIntake>();
        services.AddSingleton<IntakeWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IntakeWriter>());
        services.AddSingleton<CategoryCache>();
        services.AddCaseQueries(builder.Configuration);

        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        // Binding failures reach the exception handler in every environment (not only in Development), so that the problem
        // can name the field at fault; they stay 400s and are not logged as server errors.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<ExceptionHandlerOptions>(o =>
        {
            o.StatusCodeSelector = Problems.StatusOf;
            o.SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException;
        });
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            // Chinese text stays readable in responses; HTML-sensitive characters are still escaped.
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
            // Enums travel as kebab-case names (InHandling → in-handling), listed as such in the OpenAPI document; numbers are
            // numbers (the web defaults also read "12" as 12, which made every number `number | string` in generated clients).
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        services.AddOpenApi(o => o.AddTypedContract().AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CivicGrid API";
            document.Info.Description = "CivicGrid 网格化基层治理平台: grids, cases and the people who handle them. Errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AuthApi.LoginRateLimit, context =>
                PerClientPerMinute(context, context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.LoginAttemptsPerMinute));
            o.AddPolicy(RoutingApi.LocateRateLimit, context =>
                PerClientPerMinute(context, context.RequestServices.GetRequiredService<IOptions<GeoOptions>>().Value.LocatePerMinute));
            o.AddPolicy(IntakeApi.CreateRateLimit, context =>
                PerClientPerMinute(context, context.RequestServices.GetRequiredService<IOptions<CaseOptions>>().Value.CreatesPerMinute));
            o.AddPolicy(DevicesApi.WebhookRateLimit, DevicesApi.RateLimitPartition);
            o.OnRejected = async (context, ct) =>
            {
                // Tell the client when to try again (a fixed window knows when it refills).
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                // The device webhook says what is limited; elsewhere the status code pages write the general 429 problem.
                if (DevicesApi.RateLimitRefusal(context.HttpContext) is { } problem)
                {
                    await problem.ExecuteAsync(context.HttpContext);
                }
            };
        });

        services.AddOptions<Open311Options>().Bind(builder.Configuration.GetSection(Open311Options.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GeoOptions>().Bind(builder.Configuration.GetSection(GeoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHealthChecks().AddDbContextCheck<CivicGridDbContext>("database", tags: ["ready"]);
        services.AddHostedService<DatabaseInitializer>();
        services.AddDistrictHandOff(builder.Configuration);
        services.AddScoped<HotlineImporter>();
        services.AddCivicGridNotifications(builder.Configuration);
        services.AddCaseDeadlineJobs(builder.Configuration);
        services.AddDevices(builder.Configuration);

        // After the database initializer: hosted services start in order, so the first index is
        // built on migrated (and, for the demo, seeded) data; so is the first load of the open cases. The SQLite
        // checkpointer, too, must not open the file while the initializer creates it.
        services.AddSingleton<GeographyIndex>();
        services.AddHostedService(sp => sp.GetRequiredService<GeographyIndex>());
        services.AddHostedService<OpenCaseIndex.Reloader>();
        services.AddHostedService<SqliteCheckpointer>();
        services.AddHostedService<StartupBanner>();
        return builder;
    }

    /// <summary>The HTTP pipeline and every feature's routes.</summary>
    public static WebApplication MapCivicGrid(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebPages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseIdempotency();

        // The console at /, the phone pages at /m/ (or, without built pages, / opens the API reference).
        app.MapWebPages();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.WithTitle("CivicGrid API")).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth }).AllowAnonymous();

        app.MapAuthApi();
        app.MapGeoApi();
        app.MapRoutingApi();
        app.MapGridImportApi();
        app.MapCatalogueApi();
        app.MapCalendarApi();
        app.MapGridsApi();
        app.MapUsersApi();
        app.MapCasesApi();
        app.MapIntakeApi();
        app.MapWorkflowApi();
        app.MapCasePhotosApi();
        app.MapTrackApi();
        app.MapLocationQueueApi();
        app.MapColourRecordsApi();
        app.MapDistrictApi();
        app.MapHotlineApi();
        app.MapPersonalDataApi();
        app.MapNotificationsApi();
        app.MapJobsApi();
        app.MapApiKeysApi();
        app.MapOpen311Api();
        app.MapDevicesApi();
        return app;
    }

    /// <summary>A fixed window of one minute per client address; beyond the limit, 429 at once (no queue).</summary>
    private static RateLimitPartition<string> PerClientPerMinute(HttpContext context, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.User.GetUserId() is { } user ? $"user:{user:D}" : context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description, durationMs = e.Value.Duration.TotalMilliseconds }),
        });
    }
}

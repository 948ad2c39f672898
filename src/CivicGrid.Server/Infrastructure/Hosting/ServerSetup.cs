using System.Text.Json;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Features.Council;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Features.Backups;
using CivicGrid.Server.Features.Briefings;
using CivicGrid.Server.Features.Broadcast;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Cases.LocationQueue;
using CivicGrid.Server.Features.Cases.PersonalData;
using CivicGrid.Server.Features.Cases.Photos;
using CivicGrid.Server.Features.Cases.Queries;
using CivicGrid.Server.Features.Cases.Tracking;
using CivicGrid.Server.Features.Cases.Workflow;
using CivicGrid.Server.Features.Catalogue;
using CivicGrid.Server.Features.Deadlines;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Features.District;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.GridImport;
using CivicGrid.Server.Features.Grids;
using CivicGrid.Server.Features.Hotline;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Features.Jobs;
using CivicGrid.Server.Features.Meetings;
using CivicGrid.Server.Features.Metrics;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Features.Open311;
using CivicGrid.Server.Features.Organisations;
using CivicGrid.Server.Features.TrustedDevices;
using CivicGrid.Server.Features.TwoFactor;
using CivicGrid.Server.Features.Roster;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Features.FieldWork;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Features.Users;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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
        services.AddCivicGridAuth(builder.Configuration, dataDirectory, builder.Environment);
        services.AddWebHardening(builder.Configuration);
        var environment = builder.Environment;
        services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection(DemoOptions.Section)).ValidateDataAnnotations()
            .Validate(o => !o.Enabled || environment.IsDevelopment(), DemoOptions.OnlyInDevelopment(environment.EnvironmentName)).ValidateOnStart();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<ScaleSeeder>();
        services.AddPhotoStorage(builder.Configuration);
        services.AddCivicGridIdempotency(builder.Configuration);
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
        services.AddCivicGridRateLimiter();
        services.AddHealthChecks().AddDbContextCheck<CivicGridDbContext>("database", tags: ["ready"]);

        // Hosted services start in the order they are registered: the database initializer (migrations, the demo) before
        // any feature's, so the features' first loads read migrated, seeded data.
        services.AddHostedService<DatabaseInitializer>();

        // The features, one line each; their routes are mapped in this order too.
        builder.AddFeature<AuthFeature>();
        builder.AddFeature<TwoFactorFeature>();
        builder.AddFeature<TrustedDevicesFeature>();
        builder.AddFeature<GeographyFeature>();
        builder.AddFeature<GridImportFeature>();
        builder.AddFeature<CatalogueFeature>();
        builder.AddFeature<CalendarFeature>();
        builder.AddFeature<GridsFeature>();
        builder.AddFeature<UsersFeature>();
        builder.AddFeature<OrganisationsFeature>();
        builder.AddFeature<QueriesFeature>();
        builder.AddFeature<IntakeFeature>();
        builder.AddFeature<WorkflowFeature>();
        builder.AddFeature<PhotosFeature>();
        builder.AddFeature<TrackingFeature>();
        builder.AddFeature<LocationQueueFeature>();
        builder.AddFeature<DuplicatesFeature>();
        builder.AddFeature<MeetingsFeature>();
        builder.AddFeature<DistrictFeature>();
        builder.AddFeature<HotlineFeature>();
        builder.AddFeature<PersonalDataFeature>();
        builder.AddFeature<Features.Sms.SmsFeature>();
        builder.AddFeature<Features.WeChat.WeChatFeature>();
        builder.AddFeature<NotificationsFeature>();
        builder.AddFeature<DeadlinesFeature>();
        builder.AddFeature<JobsFeature>();
        builder.AddFeature<AuditFeature>();
        builder.AddFeature<Open311Feature>();
        builder.AddFeature<DevicesFeature>();
        builder.AddFeature<BroadcastFeature>();
        builder.AddFeature<BriefingsFeature>();
        builder.AddFeature<RosterFeature>();
        builder.AddFeature<PatrolsFeature>();
        builder.AddFeature<HouseholdsFeature>();
        builder.AddFeature<Features.Dashboard.DashboardFeature>();
        builder.AddFeature<Features.Live.LiveFeature>();
        builder.AddFeature<Features.Basemap.BasemapFeature>();
        builder.AddFeature<Features.Support.SupportFeature>();
        builder.AddFeature<Features.Duty.DutyFeature>();
        builder.AddFeature<GridAffairsFeature>();
        builder.AddFeature<AssessmentFeature>();
        builder.AddFeature<CouncilFeature>();
        builder.AddFeature<FieldWorkFeature>();
        builder.AddFeature<BackupsFeature>();
        builder.AddFeature<MetricsFeature>();

        // The SQLite checkpointer must not open the file while the initializer creates it; the banner comes last.
        services.AddHostedService<SqliteCheckpointer>();
        services.AddHostedService<StartupBanner>();
        return builder;
    }

    /// <summary>The HTTP pipeline and every feature's routes.</summary>
    public static WebApplication MapCivicGrid(this WebApplication app)
    {
        app.UseWebHardening();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebPages();
        app.UseAuthentication();
        app.UsePasswordChangeGate();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseIdempotency();

        // The console at /, the phone pages at /m/ (or, without built pages, / opens the API reference).
        app.MapWebPages();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.WithTitle("CivicGrid API")).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth }).AllowAnonymous();
        app.MapFeatures();
        return app;
    }

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

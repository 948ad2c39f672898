using System.Security.Cryptography;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.GridImport;
using CivicGrid.Server.Features.Open311;
using CivicGrid.Spatial.CoordinateSystems;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Commands;

/// <summary>
/// Operator commands carried by the server binary, so an operator needs one program:
/// <c>migrate</c>, <c>seed demo</c>, <c>users create-admin</c>. Later features add theirs here.
/// </summary>
public static class OperatorCommands
{
    private static readonly string[][] Known =
        [["migrate"], ["seed", "demo"], ["users", "create-admin"], ["grids", "import"], ["grids", "validate"], ["audit", "verify"], ["jobs", "status"], ["jobs", "run"],
            ["apikeys", "create"], ["apikeys", "list"], ["apikeys", "revoke"], ["help"]];

    /// <summary>
    /// Splits the command words off the front of <paramref name="args"/>; the rest (options such as
    /// <c>--Database:Provider=Postgres</c> and the command's own options) go to the host configuration.
    /// Null when the arguments name no command: then the web server starts.
    /// </summary>
    public static string[]? Parse(string[] args, out string[] rest)
    {
        foreach (var words in Known)
        {
            if (args.Length >= words.Length && words.Select((w, i) => args[i] == w).All(x => x))
            {
                rest = args[words.Length..];
                return words;
            }
        }

        rest = args;
        return args.Length > 0 && !args[0].StartsWith('-') ? [args[0]] : null;
    }

    /// <summary>Where the running command writes: the console, or the writers a caller (a test) gave to <see cref="RunAsync"/>.</summary>
    private static readonly AsyncLocal<(TextWriter Out, TextWriter Error)?> Writers = new();

    private static TextWriter Out => Writers.Value?.Out ?? Console.Out;

    private static TextWriter Error => Writers.Value?.Error ?? Console.Error;

    /// <param name="output">Where to write what the command prints; the console when null. Tests capture it here rather than
    /// redirecting the process's console, which tests running beside them also write to.</param>
    /// <param name="error">Where to write errors; the console's error stream when null.</param>
    public static async Task<int> RunAsync(string[] command, string[] options, IServiceProvider services, TextWriter? output = null,
        TextWriter? error = null)
    {
        if (output is not null || error is not null)
        {
            Writers.Value = (output ?? Console.Out, error ?? Console.Error);
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CivicGrid.Commands");
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<CivicGridDbContext>();
        switch (string.Join(' ', command))
        {
            case "migrate":
                await DatabaseInitializer.MigrateAsync(db, logger, CancellationToken.None);
                Out.WriteLine($"Database is up to date ({db.Database.ProviderName}).");
                return 0;

            case "seed demo":
                await DatabaseInitializer.MigrateAsync(db, logger, CancellationToken.None);
                var demo = sp.GetRequiredService<IOptions<DemoOptions>>().Value;
                if (!await sp.GetRequiredService<DemoSeeder>().SeedAsync(demo.Password, demo.Seed, CancellationToken.None))
                {
                    Error.WriteLine("The database already holds grids; the demo is loaded only into an empty database.");
                    return 1;
                }

                Out.WriteLine($"Demo subdistrict loaded. Every demo account's password is the Demo:Password setting.");
                return 0;

            case "users create-admin":
                return await CreateAdminAsync(options, db, sp, logger);

            case "grids import":
                return await ImportGridsAsync(options, sp, logger);

            case "grids validate":
                return await ValidateGridsAsync(options, db, logger);

            case "audit verify":
                return await VerifyAuditAsync(sp, logger);

            case "jobs status":
                return await JobsStatusAsync(sp, logger);

            case "jobs run":
                return await RunJobAsync(options, sp, logger);
            case "apikeys create":
                return await CreateApiKeyAsync(options, db, sp, logger);

            case "apikeys list":
                await DatabaseInitializer.MigrateAsync(db, logger, CancellationToken.None);
                foreach (var key in await ApiKeys.ListAsync(db, CancellationToken.None))
                {
                    Out.WriteLine($"{key.Id}  {key.Prefix}…  {(key.RevokedAt is null ? "active " : "revoked")}  {key.JurisdictionCode ?? "(all)",-9}  {key.CreatedAt:yyyy-MM-dd}  {key.Name}");
                }

                return 0;

            case "apikeys revoke":
                return await RevokeApiKeyAsync(options, db, sp, logger);

            case "help":
                PrintHelp();
                return 0;

            default:
                Error.WriteLine($"Unknown command '{string.Join(' ', command)}'.");
                PrintHelp();
                return 2;
        }
    }

    private static async Task<int> CreateAdminAsync(string[] options, CivicGridDbContext db, IServiceProvider sp, ILogger logger)
    {
        var userName = Option(options, "--user-name") ?? options.FirstOrDefault(o => !o.StartsWith('-'));
        if (string.IsNullOrWhiteSpace(userName))
        {
            Error.WriteLine("Usage: users create-admin <user-name> [--password <password>] [--display-name <name>] [--role system-admin|security-admin|audit-admin]...");
            return 2;
        }

        var roles = new List<Role>();
        for (var i = 0; i < options.Length - 1; i++)
        {
            if (options[i] == "--role")
            {
                if (!Roles.TryParseClaimValue(options[i + 1], out var role) || !Roles.Administrators.Contains(role))
                {
                    Error.WriteLine($"'{options[i + 1]}' is not an administrator role (system-admin, security-admin, audit-admin).");
                    return 2;
                }

                roles.Add(role);
            }
        }

        if (roles.Count == 0)
        {
            // The first administrator must be able to run the system and create the other accounts.
            roles = [Role.SystemAdmin, Role.SecurityAdmin];
        }

        var password = Option(options, "--password");
        var generated = password is null;
        password ??= GeneratePassword();
        if (PasswordRules.Check(password, userName) is { } weak)
        {
            Error.WriteLine($"The password is too weak: {weak}");
            return 2;
        }

        await DatabaseInitializer.MigrateAsync(db, logger, CancellationToken.None);
        var normalized = UserAccount.Normalize(userName);
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedUserName == normalized))
        {
            Error.WriteLine($"A user named '{userName}' already exists.");
            return 1;
        }

        var time = sp.GetRequiredService<TimeProvider>();
        var user = new UserAccount(userName, Option(options, "--display-name") ?? "系统管理员", roles, string.Empty, time.GetUtcNow());
        user.ChangePassword(sp.GetRequiredService<IPasswordHasher<UserAccount>>().HashPassword(user, password), time.GetUtcNow());
        db.Users.Add(user);
        await db.SaveChangesAsync();
        logger.LogInformation("Operator command created administrator {UserName} with roles {Roles}", userName, string.Join(',', roles));
        Out.WriteLine($"Created administrator '{userName}' ({string.Join(", ", roles.Select(r => r.ToClaimValue()))}).");
        if (generated)
        {
            Out.WriteLine("Generated password (shown once; change it after the first login):");
            Out.WriteLine(password);
        }

        return 0;
    }

    private static async Task<int> CreateApiKeyAsync(string[] options, CivicGridDbContext db, IServiceProvider sp, ILogger logger)
    {
        var name = Option(options, "--name");
        if (string.IsNullOrWhiteSpace(name))
        {
            Error.WriteLine("Usage: apikeys create --name <name> [--jurisdiction <subdistrict code>]");
            return 2;
        }

        await DatabaseInitializer.MigrateAsync(db, logger, CancellationToken.None);
        try
        {
            var (key, secret) = await ApiKeys.IssueAsync(db, name, Option(options, "--jurisdiction"), "operator command",
                sp.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None);
            logger.LogInformation("Operator command issued Open311 API key {Prefix} ({Name})", key.Prefix, key.Name);
            Out.WriteLine($"Issued Open311 API key {key.Id} '{key.Name}' for {key.JurisdictionCode ?? "every jurisdiction"}. The key (shown once, only its hash is kept):");
            Out.WriteLine(secret);
            return 0;
        }
        catch (ApiKeyRefusedException e)
        {
            Error.WriteLine(e.Message);
            return 2;
        }
    }

    private static async Task<int> RevokeApiKeyAsync(string[] options, CivicGridDbContext db, IServiceProvider sp, ILogger logger)
    {
        var which = options.FirstOrDefault(o => !o.StartsWith('-'));
        if (which is null)
        {
            Error.WriteLine("Usage: apikeys revoke <id | prefix>");
            return 2;
        }

        await DatabaseInitializer.MigrateAsync(db, logger, CancellationToken.None);
        var key = await ApiKeys.RevokeAsync(db, which, sp.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None);
        if (key is null)
        {
            Error.WriteLine($"No single API key matches '{which}'.");
            return 1;
        }

        logger.LogInformation("Operator command revoked Open311 API key {Prefix} ({Name})", key.Prefix, key.Name);
        Out.WriteLine($"Revoked API key {key.Id} '{key.Name}'.");
        return 0;
    }

    private static async Task<int> ImportGridsAsync(string[] options, IServiceProvider sp, ILogger logger)
    {
        var path = options.FirstOrDefault(o => !o.StartsWith('-') && o != Option(options, "--crs"));
        if (path is null || !File.Exists(path))
        {
            Error.WriteLine(path is null
                ? "Usage: grids import <file.geojson|file.zip> [--crs wgs84|cgcs2000|gcj02|bd09] [--dry-run]"
                : $"No such file: {path}");
            return 2;
        }

        var crs = CoordinateSystem.Wgs84;
        if (Option(options, "--crs") is { } crsName && !CoordinateSystemNames.TryParse(crsName, out crs))
        {
            Error.WriteLine($"Unknown coordinate system '{crsName}': use {string.Join(", ", CoordinateSystemNames.ApiNames)}.");
            return 2;
        }

        await DatabaseInitializer.MigrateAsync(sp.GetRequiredService<CivicGridDbContext>(), logger, CancellationToken.None);
        IReadOnlyList<ImportFeature> features;
        try
        {
            await using var file = File.OpenRead(path);
            features = await ImportFileReader.ReadAsync(file, CancellationToken.None);
        }
        catch (ImportFileException e)
        {
            Error.WriteLine($"{e.MessageZh} / {e.Message}");
            return 1;
        }

        var report = await sp.GetRequiredService<GridImporter>().ImportAsync(features, crs, options.Contains("--dry-run"), CancellationToken.None);
        Out.Write(report.ToText());
        return report.Accepted ? 0 : 1;
    }

    private static async Task<int> ValidateGridsAsync(string[] options, CivicGridDbContext db, ILogger logger)
    {
        await DatabaseInitializer.MigrateAsync(db, logger, CancellationToken.None);
        var report = await GridImportApi.ValidateStoredAsync(db, CancellationToken.None);
        var output = (Option(options, "--format") ?? "text") switch
        {
            "json" => System.Text.Json.JsonSerializer.Serialize(report.ToJsonModel(), JsonOutput),
            "geojson" => report.ToGeoJson(),
            "text" => report.ToText(Option(options, "--language") is "en" ? "en" : "zh"),
            var other => null,
        };
        if (output is null)
        {
            Error.WriteLine("--format takes text, json or geojson.");
            return 2;
        }

        if (Option(options, "--output") is { } file)
        {
            await File.WriteAllTextAsync(file, output);
            Out.WriteLine($"{report.ErrorCount} errors, {report.WarningCount} warnings; report written to {file}.");
        }
        else
        {
            Out.WriteLine(output);
        }

        return report.IsAcceptable ? 0 : 1;
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider sp, ILogger logger)
    {
        await DatabaseInitializer.MigrateAsync(sp.GetRequiredService<CivicGridDbContext>(), logger, CancellationToken.None);
        var report = await sp.GetRequiredService<TimelineAudit>().VerifyAsync(CancellationToken.None);
        foreach (var broken in report.Broken)
        {
            Out.WriteLine($"BROKEN case {broken.CaseNumber}: timeline entry {broken.BrokenAtSequence} does not match its hash chain");
        }

        Out.WriteLine(report.IsIntact
            ? $"Timelines intact: {report.CasesChecked} cases, {report.EntriesChecked} entries verified."
            : $"{report.Broken.Count} of {report.CasesChecked} cases have a broken timeline ({report.EntriesChecked} entries checked).");
        if (!report.IsIntact)
        {
            logger.LogCritical("Audit verify found {Broken} cases with a broken timeline", report.Broken.Count);
        }

        return report.IsIntact ? 0 : 1;
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOutput = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string? Option(string[] options, string name)
    {
        var index = Array.IndexOf(options, name);
        return index >= 0 && index + 1 < options.Length ? options[index + 1] : null;
    }

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var body = RandomNumberGenerator.GetString(alphabet, 14);
        return $"{body[..7]}-{body[7..]}#{RandomNumberGenerator.GetInt32(10, 99)}";
    }

    private static async Task<int> JobsStatusAsync(IServiceProvider sp, ILogger logger)
    {
        await DatabaseInitializer.MigrateAsync(sp.GetRequiredService<CivicGridDbContext>(), logger, CancellationToken.None);
        var status = await Features.Operations.JobsApi.StatusAsync(sp, sp.GetRequiredService<Infrastructure.Jobs.JobRunner>(),
            sp.GetRequiredService<IOptions<Infrastructure.Jobs.JobsOptions>>().Value, CancellationToken.None);
        Out.WriteLine($"{"job",-26} {"on",-3} {"every",-10} {"last finished (UTC)",-20} {"did",5} {"runs",5}  next run (UTC) / last error");
        foreach (var job in status.Jobs)
        {
            var finished = job.LastFinishedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
            var tail = job.LastError is { } error ? $"FAILED: {error}"
                : job.NextRunAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
            Out.WriteLine($"{job.Name,-26} {(job.Enabled ? "yes" : "no"),-3} {job.Interval,-10} {finished,-20} {job.LastResult?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",5} {job.RunCount,5}  {tail}");
        }

        return status.Jobs.Any(j => j.LastError is not null) ? 1 : 0;
    }

    private static async Task<int> RunJobAsync(string[] options, IServiceProvider sp, ILogger logger)
    {
        var name = options.FirstOrDefault(o => !o.StartsWith('-'));
        var names = sp.GetServices<Infrastructure.Jobs.IScheduledJob>().Select(j => j.Name).ToList();
        if (name is null || !names.Contains(name))
        {
            Error.WriteLine($"Usage: jobs run <name>; jobs: {string.Join(", ", names)}");
            return 2;
        }

        await DatabaseInitializer.MigrateAsync(sp.GetRequiredService<CivicGridDbContext>(), logger, CancellationToken.None);
        var run = await sp.GetRequiredService<Infrastructure.Jobs.JobRunner>().RunNowAsync(name, CancellationToken.None);
        Out.WriteLine(run.Outcome switch
        {
            Infrastructure.Jobs.JobRunOutcome.Succeeded => $"{name}: done, {run.Done} acted on.",
            Infrastructure.Jobs.JobRunOutcome.Failed => $"{name}: FAILED: {run.Error}",
            _ => $"{name}: not run, another instance is running it now.",
        });
        return run.Outcome == Infrastructure.Jobs.JobRunOutcome.Succeeded ? 0 : 1;
    }

    private static void PrintHelp() => Out.WriteLine("""
        CivicGrid operator commands (dotnet run --project src/CivicGrid.Server -- <command>):
          migrate                          apply pending database migrations
          seed demo                        load the demo subdistrict into an empty database
          users create-admin <user-name>   create an administrator [--password P] [--display-name N] [--role R]...
          grids import <file>              import grids, compounds, buildings (GeoJSON or zipped Shapefile) [--crs C] [--dry-run]
          audit verify                     re-compute every case timeline's hash chain; exit 1 when one was tampered with
          apikeys create --name <name>     issue an Open311 API key [--jurisdiction <subdistrict code>]; the key is the last line
          apikeys list                     list the Open311 API keys (never the keys themselves)
          apikeys revoke <id|prefix>       revoke an Open311 API key
          grids validate                   check the stored grids' topology [--format text|json|geojson] [--language zh|en] [--output F]
          jobs status                      every scheduled job: schedule, last run, what it did, last error
          jobs run <name>                  run one scheduled job now (exit 1 when it fails or another instance holds it)
        Settings go after the command as usual, e.g. --Database:Provider=Postgres --Database:ConnectionString="Host=...".
        """);
}

using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Backups;

/// <summary>The <c>Backups</c> section of the configuration.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backups";

    /// <summary>Folder of <c>pg_dump</c> and <c>pg_restore</c>; when empty they are looked for in Debian's folders, then the PATH.</summary>
    public string? PostgresBinDirectory { get; set; }
}

/// <summary>
/// Backups and restores (<c>backup</c>, <c>restore</c> operator commands, <c>docs/adr/0027-backups.md</c>): the database at one
/// instant, then the photos and keys of the data directory, with a manifest of counts and hashes. No routes.
/// </summary>
public sealed class BackupsFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<BackupOptions>().Bind(configuration.GetSection(BackupOptions.Section));
}

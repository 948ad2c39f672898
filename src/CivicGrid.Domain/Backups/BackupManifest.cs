namespace CivicGrid.Domain.Backups;

/// <summary>One file of a backup: its path relative to the backup's root (forward slashes), its size and its SHA-256.</summary>
/// <param name="Path">Relative, forward slashes, never rooted and never with a <c>..</c> segment.</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
public sealed record BackupFile(string Path, long Bytes, string Sha256);

/// <summary>A broken rule of a backup, named so that tests and operators can tell them apart.</summary>
/// <param name="Rule">The rule's name: <see cref="BackupManifest.UnsupportedFormat"/>, <see cref="BackupManifest.WrongProvider"/>,
/// <see cref="BackupManifest.NewerSchema"/>, <see cref="BackupManifest.UnsafePath"/>, <see cref="BackupManifest.MissingFile"/>,
/// <see cref="BackupManifest.ChangedFile"/> or <see cref="BackupManifest.UnlistedFile"/>.</param>
/// <param name="Message">What is wrong and what to do, in English for the operator.</param>
public sealed record BackupProblem(string Rule, string Message);

/// <summary>
/// What a backup says about itself (<c>manifest.json</c> at its root): the format, the database it was taken from and
/// that database's schema, when, how many rows its main tables held at the snapshot, and every file with its SHA-256. A
/// restore reads nothing it has not checked against this list, so a changed, missing or smuggled file is refused before
/// anything is written.
/// </summary>
/// <param name="FormatVersion">The layout of the backup; <see cref="CurrentFormatVersion"/> for the ones this code makes.</param>
/// <param name="Provider">The database provider, <c>Sqlite</c> or <c>Postgres</c>; a backup restores only onto the same.</param>
/// <param name="SchemaMigration">The last applied migration id of the database at the snapshot.</param>
/// <param name="CreatedAt">When the database snapshot was taken.</param>
/// <param name="Counts">Rows per main table at the snapshot, by table name.</param>
/// <param name="Files">Every file of the backup except the manifest itself.</param>
public sealed record BackupManifest(int FormatVersion, string Provider, string SchemaMigration, DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, long> Counts, IReadOnlyList<BackupFile> Files)
{
    public const int CurrentFormatVersion = 1;

    /// <summary>The manifest's file name at the root of a backup.</summary>
    public const string FileName = "manifest.json";

    public const string UnsupportedFormat = "unsupported-format";
    public const string WrongProvider = "wrong-provider";
    public const string NewerSchema = "newer-schema";
    public const string UnsafePath = "unsafe-path";
    public const string MissingFile = "missing-file";
    public const string ChangedFile = "changed-file";
    public const string UnlistedFile = "unlisted-file";

    /// <summary>
    /// Whether this backup may be restored by a server on <paramref name="provider"/> that knows the migrations
    /// <paramref name="knownMigrations"/>: same format, same provider, a schema this server knows (an older one is
    /// migrated on start; a newer one needs a newer server), and file paths that stay inside the target.
    /// </summary>
    public IReadOnlyList<BackupProblem> ProblemsRestoringOn(string provider, IReadOnlyCollection<string> knownMigrations)
    {
        var problems = new List<BackupProblem>();
        if (FormatVersion != CurrentFormatVersion)
        {
            problems.Add(new(UnsupportedFormat,
                $"The backup has format version {FormatVersion}; this server reads version {CurrentFormatVersion}. Restore it with the CivicGrid version that made it."));
        }

        if (!string.Equals(Provider, provider, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new(WrongProvider,
                $"The backup is of a {Provider} database but this server is configured for {provider}. Set Database:Provider={Provider} (and its connection string) to restore it."));
        }

        if (!knownMigrations.Contains(SchemaMigration))
        {
            problems.Add(new(NewerSchema,
                $"The backup's schema ({SchemaMigration}) is unknown to this server: it was made by a newer CivicGrid. Restore it with that version or newer."));
        }

        problems.AddRange(Files.Where(f => !IsSafeRelativePath(f.Path))
            .Select(f => new BackupProblem(UnsafePath, $"The manifest lists '{f.Path}', which points outside the backup. The manifest was tampered with; use another backup.")));
        return problems;
    }

    /// <summary>
    /// Compares the files found in a backup (relative path → size and SHA-256, the manifest excluded) with the list:
    /// one problem per missing, changed or unlisted file.
    /// </summary>
    public IReadOnlyList<BackupProblem> CompareFiles(IReadOnlyDictionary<string, (long Bytes, string Sha256)> found)
    {
        var problems = new List<BackupProblem>();
        foreach (var file in Files)
        {
            if (!found.TryGetValue(file.Path, out var actual))
            {
                problems.Add(new(MissingFile, $"'{file.Path}' is listed in the manifest but missing from the backup. The backup is incomplete; use another one."));
            }
            else if (actual.Bytes != file.Bytes || !string.Equals(actual.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new(ChangedFile,
                    $"'{file.Path}' does not match the manifest (expected {file.Bytes} bytes, SHA-256 {file.Sha256}; found {actual.Bytes} bytes, {actual.Sha256}). The backup was changed or damaged; use another one."));
            }
        }

        var listed = Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(found.Keys.Where(p => !listed.Contains(p)).Order(StringComparer.Ordinal)
            .Select(p => new BackupProblem(UnlistedFile, $"'{p}' is in the backup but not in its manifest. Something was added after the backup was made; use another backup or remove that file.")));
        return problems;
    }

    /// <summary>The tables whose row counts differ from <paramref name="actual"/> (a table missing there counts as 0 rows).</summary>
    public IReadOnlyList<(string Table, long Expected, long Actual)> CountsDifferingFrom(IReadOnlyDictionary<string, long> actual) =>
        [.. Counts.Select(c => (Table: c.Key, Expected: c.Value, Actual: actual.GetValueOrDefault(c.Key)))
            .Where(c => c.Expected != c.Actual).OrderBy(c => c.Table, StringComparer.Ordinal)];

    /// <summary>True for a relative path with forward slashes and no empty, <c>.</c> or <c>..</c> segment.</summary>
    public static bool IsSafeRelativePath(string path) =>
        !string.IsNullOrEmpty(path) && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains(':', StringComparison.Ordinal)
        && path.Split('/').All(s => s.Length > 0 && s != "." && s != "..");
}

using CivicGrid.Domain.Backups;

namespace CivicGrid.Domain.Tests.Backups;

public class BackupManifestTests
{
    private static readonly string[] Known = ["20260101000000_Initial", "20260301000000_Next"];

    private static BackupManifest Manifest(string provider = "Sqlite", string schema = "20260101000000_Initial", int format = BackupManifest.CurrentFormatVersion,
        params BackupFile[] files) =>
        new(format, provider, schema, DateTimeOffset.UnixEpoch, new Dictionary<string, long> { ["cases"] = 10, ["case_photos"] = 4 },
            files.Length == 0 ? [new("database/civicgrid.db", 100, "aa"), new("data/keys/residents/0001.key", 44, "bb")] : files);

    [Fact]
    public void ProblemsRestoringOn_SameProviderKnownSchema_IsEmpty()
    {
        Assert.Empty(Manifest().ProblemsRestoringOn("sqlite", Known));
    }

    [Fact]
    public void ProblemsRestoringOn_OtherProvider_BreaksWrongProvider()
    {
        var problem = Assert.Single(Manifest(provider: "Postgres").ProblemsRestoringOn("Sqlite", Known));

        Assert.Equal(BackupManifest.WrongProvider, problem.Rule);
        Assert.Contains("Database:Provider=Postgres", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemsRestoringOn_SchemaFromANewerServer_BreaksNewerSchema()
    {
        var problem = Assert.Single(Manifest(schema: "20270101000000_Future").ProblemsRestoringOn("Sqlite", Known));

        Assert.Equal(BackupManifest.NewerSchema, problem.Rule);
    }

    [Fact]
    public void ProblemsRestoringOn_OtherFormat_BreaksUnsupportedFormat()
    {
        Assert.Equal([BackupManifest.UnsupportedFormat], Manifest(format: 2).ProblemsRestoringOn("Sqlite", Known).Select(p => p.Rule));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("data/../../x")]
    [InlineData("data//x")]
    [InlineData("data\\x")]
    [InlineData("C:/x")]
    public void ProblemsRestoringOn_PathLeavingTheBackup_BreaksUnsafePath(string path)
    {
        var problem = Assert.Single(Manifest(files: new BackupFile(path, 1, "aa")).ProblemsRestoringOn("Sqlite", Known));

        Assert.Equal(BackupManifest.UnsafePath, problem.Rule);
    }

    [Fact]
    public void CompareFiles_EveryFileAsListed_IsEmpty()
    {
        var found = new Dictionary<string, (long, string)> { ["database/civicgrid.db"] = (100, "AA"), ["data/keys/residents/0001.key"] = (44, "bb") };

        Assert.Empty(Manifest().CompareFiles(found));
    }

    [Fact]
    public void CompareFiles_NamesMissingChangedAndUnlistedFiles()
    {
        var found = new Dictionary<string, (long, string)> { ["database/civicgrid.db"] = (100, "cc"), ["data/photos/extra.jpg"] = (5, "dd") };

        var problems = Manifest().CompareFiles(found);

        Assert.Equal([BackupManifest.ChangedFile, BackupManifest.MissingFile, BackupManifest.UnlistedFile],
            problems.Select(p => p.Rule).Order(StringComparer.Ordinal));
        Assert.Contains(problems, p => p.Rule == BackupManifest.ChangedFile && p.Message.Contains("database/civicgrid.db", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Rule == BackupManifest.MissingFile && p.Message.Contains("0001.key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Rule == BackupManifest.UnlistedFile && p.Message.Contains("extra.jpg", StringComparison.Ordinal));
    }

    [Fact]
    public void CompareFiles_SameHashOtherSize_IsChanged()
    {
        var found = new Dictionary<string, (long, string)> { ["database/civicgrid.db"] = (99, "aa"), ["data/keys/residents/0001.key"] = (44, "bb") };

        Assert.Equal(BackupManifest.ChangedFile, Assert.Single(Manifest().CompareFiles(found)).Rule);
    }

    [Fact]
    public void CountsDifferingFrom_NamesEachTableThatDiffers_AndAMissingTableAsZero()
    {
        var differing = Manifest().CountsDifferingFrom(new Dictionary<string, long> { ["cases"] = 11 });

        Assert.Equal([("case_photos", 4L, 0L), ("cases", 10L, 11L)], differing);
        Assert.Empty(Manifest().CountsDifferingFrom(new Dictionary<string, long> { ["cases"] = 10, ["case_photos"] = 4 }));
    }
}

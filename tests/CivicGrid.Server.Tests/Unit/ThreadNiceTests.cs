using System.Globalization;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Features.Cases.Intake;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>The intake writer's priority: set on the calling thread only, read back from the kernel.</summary>
public class ThreadNiceTests
{
    [Fact]
    public void TrySetCurrent_SetsTheCallingThreadsNiceValue_AndNoOtherThreads()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "nice values per thread are a Linux feature");
        (string? Error, int Tid, int Nice) seen = default;

        // A lower priority (a higher nice value) needs no privilege, so this runs anywhere.
        var thread = new Thread(() =>
        {
            var error = ThreadNice.TrySetCurrent(7);
            var tid = CurrentTid();
            seen = (error, tid, NiceOf(tid));
        });
        thread.Start();
        thread.Join();

        Assert.Null(seen.Error);
        Assert.Equal(7, seen.Nice);
        Assert.Equal(0, NiceOf(CurrentTid()));
    }

    [Fact]
    public void TrySetCurrent_Zero_LeavesTheThreadAlone()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "nice values per thread are a Linux feature");
        (string? Error, int Nice) seen = default;

        // 0 means "do not touch", not "set to 0": a thread already at 3 stays at 3.
        var thread = new Thread(() =>
        {
            ThreadNice.TrySetCurrent(3);
            var error = ThreadNice.TrySetCurrent(0);
            seen = (error, NiceOf(CurrentTid()));
        });
        thread.Start();
        thread.Join();

        Assert.Null(seen.Error);
        Assert.Equal(3, seen.Nice);
    }

    [Fact]
    public void WriterNice_OutsideLinuxsRange_IsRefusedByTheOptions()
    {
        var options = new Features.Cases.Intake.CaseOptions { WriterNice = -21 };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options,
            new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(Features.Cases.Intake.CaseOptions.WriterNice)));
    }

    private static int CurrentTid() =>
        int.Parse(new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(returnFinalTarget: false)!.Name, CultureInfo.InvariantCulture);

    /// <summary>Field 19 of /proc/self/task/{tid}/stat (counting after the command name, which may hold spaces).</summary>
    private static int NiceOf(int tid)
    {
        var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}

using System.Runtime.InteropServices;

namespace CivicGrid.Server.Infrastructure.Hosting;

/// <summary>
/// Sets the scheduling priority (nice value) of the calling thread on Linux. .NET's <see cref="Thread.Priority"/> does
/// nothing there; Linux keeps a nice value per thread, set with <c>setpriority(PRIO_PROCESS, tid, …)</c>.
/// </summary>
internal static class ThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>Asks for <paramref name="nice"/> on the calling thread.</summary>
    /// <returns>Null when it was set (or nothing was asked, or this is not Linux); otherwise the error, in English, for the log.</returns>
    public static string? TrySetCurrent(int nice)
    {
        if (nice == 0 || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var tid = GetTid();
            if (SetPriority(PrioProcess, tid, nice) == 0)
            {
                return null;
            }

            var errno = Marshal.GetLastPInvokeError();
            return $"setpriority(nice {nice}) failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"setpriority is not available: {e.Message}";
        }
    }

    // DllImport, not LibraryImport: both signatures are blittable (no marshalling to generate), and LibraryImport would
    // need unsafe code allowed in the whole project.
    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);
}

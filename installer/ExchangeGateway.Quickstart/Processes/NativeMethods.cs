using System.Runtime.InteropServices;

namespace ExchangeGateway.Quickstart.Processes;

/// <summary>
/// kill(2). .NET's <see cref="System.Diagnostics.Process.Kill()"/> sends SIGKILL; children get SIGTERM first
/// so ASP.NET Core stops its hosted services and flushes its databases.
/// </summary>
internal static partial class NativeMethods
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}

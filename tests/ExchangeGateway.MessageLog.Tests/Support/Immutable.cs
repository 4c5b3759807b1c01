using System.Diagnostics;

namespace ExchangeGateway.MessageLog.Tests.Support;

/// <summary>Sets or clears the Linux immutable attribute (<c>chattr +i</c>): "read-only" that binds root too.</summary>
internal static class Immutable
{
    public static void Set(IEnumerable<string> files, bool on)
    {
        foreach (var file in files)
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [on ? "+i" : "-i", file])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0)
            {
                throw new InvalidOperationException($"chattr {(on ? "+i" : "-i")} {file} failed: {error}");
            }
        }
    }
}

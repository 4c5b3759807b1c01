using System.Diagnostics;
using System.Text;

namespace ExchangeGateway.Quickstart.Processes;

/// <summary>
/// One host the quickstart started: <c>dotnet HOST.dll ...</c>, its standard output and error appended to
/// its own log file by the shell (so no pipe through this process: a busy child never costs the
/// quickstart CPU, and the log survives the quickstart). Stopped by PID: SIGTERM, then SIGKILL after a grace period.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly string[] InheritedUrlVariables = ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS"];
    private readonly Process _process;

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        Id = process.Id;
        LogPath = logPath;
    }

    public string Name { get; }

    public int Id { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The <c>dotnet</c> host: the one running this process when started as <c>dotnet X.dll</c>, else the one on PATH.</summary>
    public static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> with output appended to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> arguments, string workingDirectory, string logPath)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new QuickstartException("The quickstart runs on Linux or macOS (it uses /bin/sh and POSIX signals).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("-c");
        // exec: the PID we hold is the host's own, so signals reach it directly.
        start.ArgumentList.Add("exec \"$@\" </dev/null >>\"$XGW_CHILD_LOG\" 2>&1");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(DotnetHost());
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["XGW_CHILD_LOG"] = logPath;
        foreach (var variable in InheritedUrlVariables)
        {
            // A developer's ASPNETCORE_URLS would override the ports given on the command line.
            start.Environment.Remove(variable);
        }

        var process = Process.Start(start) ?? throw new QuickstartException($"Could not start {name}.");
        return new ChildProcess(name, process, logPath);
    }

    /// <summary>
    /// Runs a one-shot command (<c>init</c>, <c>create-api-key</c>, <c>print-anchor</c>) to completion within
    /// <paramref name="timeout"/>; returns its exit code and standard output. Both streams are also appended to <paramref name="logPath"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToCompletionAsync(
        string name, string dll, IEnumerable<string> arguments, string workingDirectory, string logPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in InheritedUrlVariables)
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start) ?? throw new QuickstartException($"Could not start {name}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await AppendAsync(logPath, name, await output.ConfigureAwait(false), await error.ConfigureAwait(false)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new QuickstartException($"{name} did not finish within {timeout.TotalSeconds:0} s and was stopped; see {logPath}.");
        }

        var stdout = await output.ConfigureAwait(false);
        await AppendAsync(logPath, name, stdout, await error.ConfigureAwait(false)).ConfigureAwait(false);
        return (process.ExitCode, stdout);
    }

    /// <summary>The last <paramref name="lines"/> lines of the log (reads at most its last 64 KiB).</summary>
    public static string Tail(string logPath, int lines = 30)
    {
        try
        {
            using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = Math.Min(stream.Length, 64 * 1024);
            stream.Seek(-length, SeekOrigin.End);
            var buffer = new byte[length];
            stream.ReadExactly(buffer);
            var all = Encoding.UTF8.GetString(buffer).Split('\n');
            return string.Join('\n', all.TakeLast(lines + 1)).TrimEnd();
        }
        catch (IOException ex)
        {
            return $"(cannot read {logPath}: {ex.Message})";
        }
    }

    public string Tail(int lines = 30) => Tail(LogPath, lines);

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGTERM, then SIGKILL when it has not exited after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = NativeMethods.Kill(Id, NativeMethods.SigTerm);
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose() => _process.Dispose();

    private static async Task AppendAsync(string logPath, string name, string output, string error)
    {
        var text = new StringBuilder();
        text.Append("==== ").Append(name).Append('\n').Append(output);
        if (error.Length > 0)
        {
            text.Append("---- stderr\n").Append(error);
        }

        await File.AppendAllTextAsync(logPath, text.ToString()).ConfigureAwait(false);
    }
}

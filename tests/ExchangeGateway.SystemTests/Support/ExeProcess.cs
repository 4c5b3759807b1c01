using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace ExchangeGateway.SystemTests.Support;

/// <summary>
/// One exe under test in its own process (<c>dotnet X.dll args</c>), its output read line by line. Disposing
/// closes its standard input (the headless modes stop on that), waits, and kills it by PID if needed.
/// Every wait is bounded.
/// </summary>
internal sealed class ExeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _all = new();
    private readonly Task _readers;

    private ExeProcess(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(ReadAsync(process.StandardOutput, toChannel: true), ReadAsync(process.StandardError, toChannel: false))
            .ContinueWith(_ => _lines.Writer.TryComplete(), TaskScheduler.Default);
    }

    public int Id => _process.Id;

    public string Output => string.Join('\n', _all);

    public static ExeProcess Start(string dll, params string[] arguments) => StartProgram("dotnet", [dll, .. arguments]);

    /// <summary>Starts any program (e.g. <c>bash installer/quickstart.sh</c>) in the repository root.</summary>
    public static ExeProcess StartProgram(string program, params string[] arguments) => StartIn(Binaries.RepositoryRoot, program, arguments);

    /// <summary>Starts <paramref name="program"/> in <paramref name="workingDirectory"/>, with HOME there too (nothing else of this machine's state).</summary>
    public static ExeProcess StartIn(string workingDirectory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        if (!string.Equals(workingDirectory, Binaries.RepositoryRoot, StringComparison.Ordinal))
        {
            start.Environment["HOME"] = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ExeProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}"));
    }

    /// <summary>The first line starting with <paramref name="prefix"/>; fails the test with the output when the process exits or time runs out.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(deadline.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line starting '{prefix}' within {timeout}; output:\n{Output}");
        }

        throw new InvalidOperationException($"the process exited before printing '{prefix}'; output:\n{Output}");
    }

    /// <summary>Waits (bounded) for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        await _readers;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        await _readers;
        _process.Dispose();
    }

    private async Task ReadAsync(StreamReader reader, bool toChannel)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _all.Enqueue(line);
            if (toChannel)
            {
                _lines.Writer.TryWrite(line);
            }
        }
    }
}

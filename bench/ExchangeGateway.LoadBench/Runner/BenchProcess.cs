using System.Diagnostics;
using System.Threading.Channels;

namespace ExchangeGateway.LoadBench.Runner;

/// <summary>
/// A process the bench started (<c>dotnet X.dll …</c>): its standard output read line by line, the last
/// lines of both streams kept for error messages. Stopped by closing its standard input (the quickstart and
/// the hops stop cleanly on that), then by PID if it does not exit in time.
/// </summary>
internal sealed class BenchProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<string> _tail = new();
    private readonly Task _readers;

    private BenchProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        Id = process.Id;
        _readers = Task.WhenAll(ReadAsync(process.StandardOutput, toChannel: true), ReadAsync(process.StandardError, toChannel: false))
            .ContinueWith(_ => _lines.Writer.TryComplete(), TaskScheduler.Default);
    }

    public string Name { get; }

    public int Id { get; }

    public bool HasExited => _process.HasExited;

    public static BenchProcess Start(string name, string dll, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
        {
            start.Environment.Remove(variable);
        }

        var process = Process.Start(start) ?? throw new BenchException($"Could not start {name}.");
        return new BenchProcess(name, process);
    }

    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>Waits for the first output line that <paramref name="match"/> accepts; throws with the output's tail when the process exits or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(deadline.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchException($"{Name} (pid {Id}) printed nothing expected within {timeout.TotalSeconds:0} s. Its last output:\n{Tail()}");
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        throw new BenchException($"{Name} (pid {Id}) exited with code {_process.ExitCode}. Its last output:\n{Tail()}");
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Closes standard input, waits <paramref name="grace"/>, then kills the process tree.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Already gone.
            }

            using var deadline = new CancellationTokenSource(grace);
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
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
    }

    private async Task ReadAsync(StreamReader reader, bool toChannel)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_tail)
            {
                _tail.Enqueue(line);
                if (_tail.Count > TailLines)
                {
                    _tail.Dequeue();
                }
            }

            if (toChannel)
            {
                _lines.Writer.TryWrite(line);
            }
        }
    }
}

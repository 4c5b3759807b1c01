using System.Diagnostics;
using ExchangeGateway.SecurityServer.Tests.Exchange;

namespace ExchangeGateway.SecurityServer.Tests.Processes;

/// <summary>
/// The same federation, but each security server is a separate operating-system process
/// (<c>dotnet ExchangeGateway.SecurityServer.dll</c>), so a test can kill it with SIGKILL and start it again.
/// </summary>
public sealed class ProcessFederation : Federation
{
    private readonly Dictionary<string, ServerProcess> _processes = new(StringComparer.Ordinal);

    public ServerProcess Process(string name) => _processes[name];

    protected override Task<IAsyncDisposable> LaunchAsync(string name, string[] arguments, TimeProvider clock)
    {
        var process = new ServerProcess(name, arguments, Path.Combine(Directory.Path, name + ".log"));
        process.Start();
        _processes[name] = process;
        return Task.FromResult<IAsyncDisposable>(process);
    }
}

/// <summary>A security server child process; its output goes to a log file.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly string _name;
    private readonly string[] _arguments;
    private readonly string _logPath;
    private Process? _process;

    public ServerProcess(string name, string[] arguments, string logPath)
    {
        _name = name;
        _arguments = arguments;
        _logPath = logPath;
    }

    public int Restarts { get; private set; }

    public void Start()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ExchangeGateway.SecurityServer.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        _process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"{_name} did not start");
        _process.OutputDataReceived += (_, e) => Write(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown code runs, whatever was in flight is cut off.</summary>
    public void KillHard()
    {
        _process!.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
        Restarts++;
    }

    public string LogTail() => File.Exists(_logPath) ? string.Join('\n', File.ReadLines(_logPath).TakeLast(30)) : "(no log)";

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}

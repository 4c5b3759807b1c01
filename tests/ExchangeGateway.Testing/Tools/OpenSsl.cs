using System.Diagnostics;

namespace ExchangeGateway.Testing.Tools;

/// <summary>Runs the system's <c>openssl</c> binary for interoperability tests, bounded in time.</summary>
public static class OpenSsl
{
    /// <summary>The result of one run.</summary>
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>Both streams, for assertion messages.</summary>
        public string Output => StdOut + StdErr;
    }

    /// <summary>Runs <c>openssl</c> with the given arguments in <paramref name="workingDirectory"/>.</summary>
    public static async Task<Result> RunAsync(string workingDirectory, params string[] arguments)
    {
        var psi = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("openssl did not start; install it (apt-get install -y openssl).");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish in 30 s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}

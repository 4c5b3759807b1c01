using ExchangeGateway.LoadBench.Hop;
using ExchangeGateway.LoadBench.Load;
using ExchangeGateway.LoadBench.Runner;
using Microsoft.AspNetCore.Builder;

namespace ExchangeGateway.LoadBench;

/// <summary>Dispatches the three roles of this exe: the orchestrator (default), the load client and the forwarding hop.</summary>
internal static class LoadBenchApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        switch (args)
        {
            case ["load", ..]:
                var load = LoadOptions.Parse(args, error);
                return load is null ? 2 : await LoadClient.RunAsync(load, output);

            case ["hop", "--listen", var listen, "--target", var target] when Uri.TryCreate(target, UriKind.Absolute, out var targetUri):
                return await RunHopAsync(listen, targetUri, output);

            case ["-h" or "--help", ..]:
                output.WriteLine(BenchOptions.Usage);
                return 0;

            case ["hop", ..]:
                error.WriteLine(BenchOptions.Usage);
                return 2;
        }

        var options = BenchOptions.Parse(args, error);
        if (options is null)
        {
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var commandLine = "dotnet run -c Release --project bench/ExchangeGateway.LoadBench" + (args.Length > 0 ? " -- " + string.Join(' ', args) : string.Empty);
        try
        {
            return await new BenchRunner(options, commandLine, output).RunAsync(stop.Token);
        }
        catch (BenchException ex)
        {
            error.WriteLine($"LoadBench FAILED: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            error.WriteLine("LoadBench: interrupted; everything it started is stopped.");
            return 130;
        }
    }

    private static async Task<int> RunHopAsync(string listen, Uri target, TextWriter output)
    {
        var app = ForwardingHop.Build(listen, target);
        await using var disposeApp = app;
        await app.StartAsync();
        output.WriteLine($"hop listening on {app.Urls.First()}");
        output.Flush();

        // The orchestrator stops a hop by closing its standard input.
        var closed = new TaskCompletionSource();
        var watcher = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[64];
            try
            {
                while (input.Read(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
                // A broken pipe is a close too.
            }

            closed.TrySetResult();
        })
        { IsBackground = true };
        watcher.Start();
        await Task.WhenAny(closed.Task, Task.Delay(Timeout.Infinite, app.Lifetime.ApplicationStopping));
        await app.StopAsync();
        return 0;
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using ExchangeGateway.Quickstart.Echo;
using ExchangeGateway.Quickstart.Federation;
using ExchangeGateway.Quickstart.Processes;
using ExchangeGateway.Quickstart.Smoke;

namespace ExchangeGateway.Quickstart;

/// <summary>Runs one quickstart command to its exit code, stopping every child it started on the way out.</summary>
internal static class QuickstartApp
{
    /// <summary>The smoke run gives up after this long, whatever it is waiting for.</summary>
    private static readonly TimeSpan SmokeTimeout = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(QuickstartCommand command, TextWriter output)
    {
        using var stop = new CancellationTokenSource();
        var stopReason = "interrupted";
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            // The first signal stops cleanly; a second one falls through to the default (terminate).
            if (Interlocked.Increment(ref signals) == 1)
            {
                context.Cancel = true;
                stopReason = $"{context.Signal} received";
                stop.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        if (command.Headless)
        {
            WatchStandardInput(() =>
            {
                stopReason = "standard input closed";
                stop.Cancel();
            });
        }

        return command.Mode == QuickstartMode.Echo
            ? await RunEchoAsync(command, output, stop.Token).ConfigureAwait(false)
            : await RunFederationAsync(command, output, stop, () => stopReason).ConfigureAwait(false);
    }

    private static async Task<int> RunEchoAsync(QuickstartCommand command, TextWriter output, CancellationToken stop)
    {
        var app = EchoProvider.Build(command.EchoUrl);
        await using var disposeApp = app.ConfigureAwait(false);
        try
        {
            await app.StartAsync(stop).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            output.WriteLine($"echo provider: cannot listen on {command.EchoUrl}: {ex.Message}");
            return 1;
        }

        output.WriteLine($"echo provider listening on {app.Urls.First()}");
        output.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped by a signal or the end of standard input.
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RunFederationAsync(QuickstartCommand command, TextWriter output, CancellationTokenSource stop, Func<string> stopReason)
    {
        using var deadline = new CancellationTokenSource();
        if (command.Mode == QuickstartMode.Smoke)
        {
            deadline.CancelAfter(SmokeTimeout);
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, deadline.Token);
        var token = cancel.Token;
        var clock = Stopwatch.StartNew();
        output.WriteLine("ExchangeGateway quickstart: a whole federation on 127.0.0.1 (dev only: keys are unencrypted, the CA is a test CA)");
        LocalFederation? federation = null;
        try
        {
            var plan = new FederationPlan(command.StateDirectory);
            federation = new LocalFederation(plan, HostBinaries.Locate(), output);
            await federation.StartAsync(token).ConfigureAwait(false);
            output.WriteLine($"The federation is up ({clock.Elapsed.TotalSeconds:0.0} s).");
            PrintSummary(federation, output);

            switch (command.Mode)
            {
                case QuickstartMode.Smoke:
                    var failures = await new SmokeTest(plan, output).RunAsync(token).ConfigureAwait(false);
                    if (failures.Count > 0)
                    {
                        output.WriteLine("SMOKE FAILED:");
                        foreach (var failure in failures)
                        {
                            output.WriteLine($"  - {failure}");
                        }

                        PrintTails(federation, output);
                        return 1;
                    }

                    output.WriteLine($"SMOKE OK: one REST and one SOAP exchange through ss1 and ss2, logged on both ({clock.Elapsed.TotalSeconds:0.0} s in all).");
                    return 0;

                default:
                    output.WriteLine(command.Headless
                        ? $"READY {plan.FederationJsonPath}"
                        : "Ctrl-C stops everything.");
                    output.Flush();
                    return await RunUntilStoppedAsync(federation, output, token, stopReason).ConfigureAwait(false);
            }
        }
        catch (QuickstartException ex)
        {
            output.WriteLine();
            output.WriteLine($"quickstart FAILED: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            output.WriteLine();
            output.WriteLine($"quickstart FAILED: gave up after {SmokeTimeout.TotalMinutes:0} minutes.");
            if (federation is not null)
            {
                PrintTails(federation, output);
            }

            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            output.WriteLine();
            output.WriteLine($"quickstart: {stopReason()} before the federation was up.");
            return 130;
        }
        finally
        {
            if (federation is not null)
            {
                await federation.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunUntilStoppedAsync(LocalFederation federation, TextWriter output, CancellationToken token, Func<string> stopReason)
    {
        while (!token.IsCancellationRequested)
        {
            if (federation.ExitedChild() is { } exited)
            {
                output.WriteLine($"quickstart: {exited.Name} (pid {exited.Id}) exited with code {exited.ExitCode}. Last lines of {exited.LogPath}:");
                output.WriteLine(exited.Tail());
                return 1;
            }

            try
            {
                await Task.Delay(500, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        output.WriteLine($"quickstart: {stopReason()}.");
        return 0;
    }

    private static void PrintSummary(LocalFederation federation, TextWriter output)
    {
        var plan = federation.Plan;
        string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        output.WriteLine();
        output.WriteLine($"  Central Server admin API  {plan.CentralAdminUrl}  (API key in {Relative(plan.ApiKeysPath)})");
        output.WriteLine($"  global configuration      {plan.CentralConfigurationUrl}/globalconf  (anchor {Relative(plan.AnchorPath)})");
        output.WriteLine($"  dev trust services        {plan.TrustServicesUrl}  (OCSP {plan.OcspUrl}, TSA {plan.TsaUrl})");
        foreach (var server in plan.SecurityServers)
        {
            output.WriteLine($"  {server.Name} {server.ServerId,-22} client proxy {server.ClientProxyUrl} and {server.ClientProxyTlsUrl}, server proxy {server.ServerProxyUrl}, admin {server.AdminUrl}");
            output.WriteLine($"      hosts {server.ClientId}{(server == plan.Provider ? $", REST service {FederationPlan.ServiceCode} -> {plan.EchoUrl}; SOAP services {string.Join(" and ", FederationPlan.SoapServiceCodes)} {FederationPlan.SoapServiceVersion} -> {plan.SoapUrl} (WSDL {plan.WsdlUrl})" : string.Empty)}");
        }

        output.WriteLine($"  echo provider             {plan.EchoUrl}  (in the quickstart process)");
        output.WriteLine($"  federation.json           {Relative(plan.FederationJsonPath)}");
        output.WriteLine($"  logs                      {Relative(plan.LogDirectory)}/");
        output.WriteLine();
        output.WriteLine("One exchange, consumer -> ss1 -> ss2 -> echo provider:");
        output.WriteLine($"  {federation.CurlExample()}");
        output.WriteLine();
        output.WriteLine("One SOAP exchange (X-Road 4.0, helloService), the same way:");
        output.WriteLine($"  {federation.SoapCurlExample()}");
        output.WriteLine();
    }

    private static void PrintTails(LocalFederation federation, TextWriter output)
    {
        foreach (var child in federation.Children)
        {
            output.WriteLine($"---- last lines of {child.LogPath}{(child.HasExited ? $" (exited with code {child.ExitCode})" : string.Empty)}:");
            output.WriteLine(child.Tail(15));
        }
    }

    private static void WatchStandardInput(Action onClosed)
    {
        // A blocking read on its own thread: console streams have no true asynchronous read.
        var thread = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[256];
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

            onClosed();
        })
        {
            IsBackground = true,
            Name = "stdin watcher",
        };
        thread.Start();
    }
}

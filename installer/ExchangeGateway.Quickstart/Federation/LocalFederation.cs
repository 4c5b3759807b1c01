using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExchangeGateway.Quickstart.Echo;
using ExchangeGateway.Quickstart.Processes;
using Microsoft.AspNetCore.Builder;

namespace ExchangeGateway.Quickstart.Federation;

/// <summary>
/// Starts the whole quickstart federation and stops it again: the in-process echo provider, then the dev
/// trust services, the Central Server (bootstrapped through its admin API) and two security servers (each
/// started bare and onboarded through its own admin API: token, keys, CSRs certified by the dev CA, registration
/// with the Central Server, client, services), each a child process with its own data folder and log. Every wait is bounded; a child that dies is reported with the tail of its log.
/// </summary>
internal sealed partial class LocalFederation : IAsyncDisposable
{
    private const string StateMarker = ".quickstart-state";
    private const int Steps = 9;

    /// <summary>What the sample request file has in place of <c>xrd:id</c>; the printed command puts a fresh id there (ids are single-use per client).</summary>
    public const string MessageIdPlaceholder = "MESSAGE-ID";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly List<ChildProcess> _children = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly TextWriter _out;
    private WebApplication? _echo;
    private string? _apiKey;
    private readonly JsonObject _apiKeys = [];
    private readonly Dictionary<string, string> _serverApiKeys = new(StringComparer.Ordinal);
    private bool _stopped;
    private bool _lineOpen;

    public LocalFederation(FederationPlan plan, HostBinaries binaries, TextWriter output)
    {
        Plan = plan;
        Binaries = binaries;
        _out = output;
    }

    public FederationPlan Plan { get; }

    public HostBinaries Binaries { get; }

    public IReadOnlyList<ChildProcess> Children => _children;

    /// <summary>Starts everything and returns once both security servers are ready and registered in the global configuration.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        CheckPortsFree();
        PrepareStateDirectory();

        var step = Begin(1, "echo provider (in-process)");
        _echo = EchoProvider.Build(Plan.EchoUrl);
        await _echo.StartAsync(cancellationToken).ConfigureAwait(false);
        Done(step, Plan.EchoUrl);

        step = Begin(2, "dev trust services (CA, OCSP, TSA)");
        var trust = StartChild("trust-services", Binaries.TrustServicesDll,
        [
            $"--urls={Plan.TrustServicesUrl}",
            $"--TrustServices:DataDirectory={Plan.TrustDirectory}",
            .. CommonHostSettings(),
        ]);
        await WaitForOkAsync(trust, Plan.TrustServicesUrl + "/health/ready", StartTimeout, cancellationToken).ConfigureAwait(false);
        Done(step, $"{Plan.TrustServicesUrl} (pid {trust.Id})");

        step = Begin(3, "Central Server (instance DEV, auto-approve)");
        var central = StartChild("central-server", Binaries.CentralServerDll, CentralServerSettings());
        await WaitForOkAsync(central, Plan.CentralAdminUrl + "/health/ready", StartTimeout, cancellationToken).ConfigureAwait(false);
        await CreateCentralApiKeyAsync(cancellationToken).ConfigureAwait(false);
        Done(step, $"admin {Plan.CentralAdminUrl}, configuration {Plan.CentralConfigurationUrl} (pid {central.Id})");

        step = Begin(4, "registry: classes, members, subsystems, CA, TSA");
        await BootstrapRegistryAsync(cancellationToken).ConfigureAwait(false);
        Done(step, "2 members, 2 subsystems; the dev issuing CA (with its OCSP responder) and the TSA approved");

        step = Begin(5, "anchor (print-anchor)");
        var anchorHash = await WriteAnchorAsync(cancellationToken).ConfigureAwait(false);
        Done(step, $"{Relative(Plan.AnchorPath)} sha256 {anchorHash}");

        step = Begin(6, "security servers: start bare (anchor and an admin API key only)");
        foreach (var server in Plan.SecurityServers)
        {
            _serverApiKeys[server.Name] = await CreateApiKeyAsync(server.Name, server.Name, Binaries.SecurityServerDll, server.DataDirectory, server.AdminUrl, cancellationToken).ConfigureAwait(false);

            // An auditor's key too (message log and audit log, read only): what the README's auditing walk uses.
            await CreateApiKeyAsync(server.Name + "-auditor", server.Name, Binaries.SecurityServerDll, server.DataDirectory, server.AdminUrl, cancellationToken, "auditor").ConfigureAwait(false);
            WritePin(server);
            var child = StartChild(server.Name, Binaries.SecurityServerDll, SecurityServerSettings(server), server.LogPath);
            await WaitForOkAsync(child, server.AdminUrl + "/health/live", StartTimeout, cancellationToken).ConfigureAwait(false);
        }

        Done(step, string.Join(", ", _children.Where(c => Plan.SecurityServers.Any(s => s.Name == c.Name)).Select(c => $"{c.Name} pid {c.Id}")));

        step = Begin(7, "onboarding through the admin API: token, keys, CSRs to the dev CA, certificates");
        var onboarding = Plan.SecurityServers.Select(s => new ServerOnboarding(_http, Plan, s, _serverApiKeys[s.Name])).ToList();
        var authCertificates = new List<string>();
        foreach (var (server, walk) in Plan.SecurityServers.Zip(onboarding))
        {
            authCertificates.Add(await walk.InitialiseAsync(ReadPin(server), cancellationToken).ConfigureAwait(false));
        }

        Done(step, "each server: an authentication and a signing certificate imported into its token");

        step = Begin(8, "registration with the Central Server (auto-approved), clients, the echo service");
        foreach (var (walk, auth) in onboarding.Zip(authCertificates))
        {
            await walk.RegisterAsync(auth, cancellationToken).ConfigureAwait(false);
        }

        await onboarding[Plan.SecurityServers.ToList().IndexOf(Plan.Provider)].AddEchoServiceAsync(cancellationToken).ConfigureAwait(false);
        var serial = await WaitUntilRegisteredAsync(cancellationToken).ConfigureAwait(false);
        Done(step, $"global configuration serial {serial} shows both servers and their clients; both ready");

        step = Begin(9, $"SOAP sample: WSDL registered on {Plan.Provider.Name}, consumer allowed");
        var registered = await RegisterSoapSampleAsync(onboarding[Plan.SecurityServers.ToList().IndexOf(Plan.Provider)].Admin, cancellationToken).ConfigureAwait(false);
        Done(step, registered);

        WriteSoapRequest();
        WriteFederationJson();
    }

    /// <summary>The first child that has exited, or null while all run.</summary>
    public ChildProcess? ExitedChild() => _children.FirstOrDefault(c => c.HasExited);

    /// <summary>Stops every child (newest first) by PID, then the echo provider. Idempotent.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var running = _children.Where(c => !c.HasExited).ToList();
        if (running.Count > 0)
        {
            _out.WriteLine($"Stopping {string.Join(", ", running.Select(c => $"{c.Name} (pid {c.Id})"))} ...");
        }

        // Security servers first, then the Central Server, then the trust services they call.
        foreach (var child in Enumerable.Reverse(_children))
        {
            await child.StopAsync(StopGrace).ConfigureAwait(false);
        }

        if (_echo is not null)
        {
            using var deadline = new CancellationTokenSource(StopGrace);
            await _echo.StopAsync(deadline.Token).ConfigureAwait(false);
        }

        _out.WriteLine("Stopped.");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (var child in _children)
        {
            child.Dispose();
        }

        if (_echo is not null)
        {
            await _echo.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
    }

    /// <summary>The command for one SOAP exchange (helloService) through ss1's client proxy, with a fresh <c>xrd:id</c>.</summary>
    public string SoapCurlExample() =>
        $"sed \"s/{MessageIdPlaceholder}/$(date +%s)-$RANDOM/\" {Relative(Plan.SoapRequestPath)} | curl -s -H 'Content-Type: text/xml; charset=utf-8' --data-binary @- {Plan.Consumer.ClientProxyUrl}/";

    /// <summary>The curl command for one exchange through ss1's client proxy.</summary>
    public string CurlExample() =>
        $"curl -i -H 'X-Road-Client: {FederationPlan.ConsumerClient}' -H 'Content-Type: text/plain' -d 'hi' '{Plan.Consumer.ClientProxyUrl}/r1/{FederationPlan.ServiceId}/hello?x=1'";

    private static string[] CommonHostSettings() =>
    [
        // Request-per-line framework logs would flood the logs (and cost CPU under load).
        "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        "--Logging:LogLevel:Microsoft.Extensions.Http=Warning",
        "--Logging:LogLevel:System.Net.Http.HttpClient=Warning",
        "--Logging:Console:FormatterName=simple",
        "--Logging:Console:FormatterOptions:SingleLine=true",
        "--Logging:Console:FormatterOptions:TimestampFormat=HH:mm:ss.fff ",
        "--Logging:Console:FormatterOptions:UseUtcTimestamp=true",
    ];

    private string[] CentralServerSettings() =>
    [
        $"--CentralServer:InstanceId={FederationPlan.Instance}",
        $"--CentralServer:DataDirectory={Plan.CentralDirectory}",
        $"--CentralServer:AdminUrl={Plan.CentralAdminUrl}",
        $"--CentralServer:Publication:ConfigurationUrl={Plan.CentralConfigurationUrl}",
        // Registry changes publish at once; security servers poll every second, so a registration shows within about a second.
        "--CentralServer:Publication:RefreshInterval=00:00:01",
        "--CentralServer:Management:AutoApprove=true",
        .. CommonHostSettings(),
    ];

    private string[] SecurityServerSettings(SecurityServerPlan server) =>
    [
        $"--SecurityServer:AnchorPath={Plan.AnchorPath}",
        $"--SecurityServer:DataDirectory={server.DataDirectory}",
        $"--SecurityServer:AdminUrl={server.AdminUrl}",
        $"--SecurityServer:ClientProxyUrl={server.ClientProxyUrl}",
        $"--SecurityServer:ClientProxyTlsUrl={server.ClientProxyTlsUrl}",
        $"--SecurityServer:ServerProxyUrl={server.ServerProxyUrl}",
        $"--SecurityServer:PublicAddress={server.PublicAddress}",
        $"--SecurityServer:TokenPinFile={server.PinPath}",
        // Show each server's newest checkpoint to the Central Server's witness every 10 s (default 5 min), so the
        // README's auditing walk sees a witness statement at once.
        "--SecurityServer:WitnessInterval=00:00:10",
        .. CommonHostSettings(),
    ];

    private static string ReadPin(SecurityServerPlan server) => File.ReadAllText(server.PinPath).TrimEnd('\r', '\n');

    /// <summary>
    /// A fresh random token PIN for <paramref name="server"/>, in a file only the owner can read: the quickstart
    /// initialises the token with it, and the server reads it at every start (autologin). Returns its path.
    /// </summary>
    private static string WritePin(SecurityServerPlan server)
    {
        var pin = "Qs-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-');
        Directory.CreateDirectory(Path.GetDirectoryName(server.PinPath)!);
        File.WriteAllText(server.PinPath, pin + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(server.PinPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return server.PinPath;
    }

    private void CheckPortsFree()
    {
        var busy = new List<string>();
        foreach (var (port, what) in Plan.Ports())
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException)
            {
                busy.Add($"127.0.0.1:{port} ({what})");
            }
            finally
            {
                listener.Stop();
                listener.Dispose();
            }
        }

        if (busy.Count > 0)
        {
            throw new QuickstartException(
                $"These ports are in use: {string.Join(", ", busy)}. Is another quickstart (or a Central Server, security server or trust services) running? Stop it first.");
        }
    }

    private void PrepareStateDirectory()
    {
        var directory = Plan.StateDirectory;
        if (Directory.Exists(directory))
        {
            var marked = File.Exists(Path.Combine(directory, StateMarker));
            if (!marked && Directory.EnumerateFileSystemEntries(directory).Any())
            {
                throw new QuickstartException($"{directory} exists and was not made by the quickstart; refusing to wipe it. Choose another --state-dir or remove it yourself.");
            }

            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(Plan.LogDirectory);
        File.WriteAllText(Path.Combine(directory, StateMarker), "Made by the ExchangeGateway quickstart; wiped and recreated on every run.\n");
        _out.WriteLine($"State: {directory} (wiped and recreated on every run; logs in {Relative(Plan.LogDirectory)}/)");
    }

    private ChildProcess StartChild(string name, string dll, IEnumerable<string> settings, string? logPath = null)
    {
        var child = ChildProcess.Start(name, dll, settings, Plan.StateDirectory, logPath ?? Path.Combine(Plan.LogDirectory, name + ".log"));
        _children.Add(child);
        return child;
    }

    private async Task WaitForOkAsync(ChildProcess child, string url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string last = "no answer yet";
        while (clock.Elapsed < timeout)
        {
            ThrowIfExited(child);
            try
            {
                using var response = await _http.GetAsync(new Uri(url), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "timed out";
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        throw new QuickstartException($"{child.Name} did not answer 200 on {url} within {timeout.TotalSeconds:0} s (last: {last}). Last lines of {child.LogPath}:\n{child.Tail()}");
    }

    private static void ThrowIfExited(ChildProcess child)
    {
        if (child.HasExited)
        {
            throw new QuickstartException($"{child.Name} (pid {child.Id}) exited with code {child.ExitCode}. Last lines of {child.LogPath}:\n{child.Tail()}");
        }
    }

    private async Task CreateCentralApiKeyAsync(CancellationToken cancellationToken)
    {
        _apiKey = await CreateApiKeyAsync("centralServer", "central-server", Binaries.CentralServerDll, Plan.CentralDirectory, Plan.CentralAdminUrl, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a host's <c>create-api-key</c> command (system administrator), records the key in
    /// <c>api-keys.json</c> (mode 0600) under <paramref name="entry"/> and returns it.
    /// </summary>
    private async Task<string> CreateApiKeyAsync(string entry, string host, string dll, string dataDirectory, string adminUrl, CancellationToken cancellationToken, string role = "system-administrator")
    {
        var log = Path.Combine(Plan.LogDirectory, host + "-commands.log");
        var (exit, output) = await ChildProcess.RunToCompletionAsync(
            $"{host} create-api-key",
            dll,
            ["create-api-key", "--name", entry.EndsWith("-auditor", StringComparison.Ordinal) ? "quickstart-auditor" : "quickstart", "--role", role, "--data-directory", dataDirectory],
            Plan.StateDirectory,
            log,
            CommandTimeout,
            cancellationToken).ConfigureAwait(false);
        var key = ApiKeyLine().Match(output);
        if (exit != 0 || !key.Success)
        {
            throw new QuickstartException($"{host} create-api-key failed (exit {exit}); see {log}:\n{ChildProcess.Tail(log)}");
        }

        var id = KeyIdLine().Match(output);
        _apiKeys[entry] = new JsonObject
        {
            ["adminUrl"] = adminUrl,
            ["keyId"] = id.Success ? id.Groups[1].Value : null,
            ["roles"] = new JsonArray(role),
            ["apiKey"] = key.Groups[1].Value,
            ["header"] = $"Authorization: X-Api-Key {key.Groups[1].Value}",
        };
        File.WriteAllText(Plan.ApiKeysPath, _apiKeys.ToJsonString(Indented) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Plan.ApiKeysPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key.Groups[1].Value;
    }

    private async Task BootstrapRegistryAsync(CancellationToken cancellationToken)
    {
        var admin = new CentralServerAdmin(_http, Plan.CentralAdminUrl, _apiKey!);
        await admin.AddMemberClassAsync("GOV", "Government", cancellationToken).ConfigureAwait(false);
        await admin.AddMemberClassAsync("ORG", "Organisations", cancellationToken).ConfigureAwait(false);
        foreach (var server in Plan.SecurityServers)
        {
            await admin.AddMemberAsync(server.OwnerMemberId, server.OwnerName, cancellationToken).ConfigureAwait(false);
            await admin.AddSubsystemAsync(server.ClientId, server.ClientId[(server.ClientId.LastIndexOf('/') + 1)..], cancellationToken).ConfigureAwait(false);
        }

        // The issuing CA is the approved CA, pinned: member certificates chain to it (a shipped root above
        // it is ignored), and its delegated OCSP responder answers for them.
        await admin.AddCertificationAuthorityAsync(
            "DEV issuing CA",
            await File.ReadAllTextAsync(Path.Combine(Plan.TrustDirectory, "ca-intermediate.pem"), cancellationToken).ConfigureAwait(false),
            Plan.OcspUrl,
            await File.ReadAllTextAsync(Path.Combine(Plan.TrustDirectory, "ocsp-responder.pem"), cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        await admin.AddTimestampingAuthorityAsync(
            "DEV TSA",
            Plan.TsaUrl,
            await File.ReadAllTextAsync(Plan.TsaCertificatePath, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> WriteAnchorAsync(CancellationToken cancellationToken)
    {
        var log = Path.Combine(Plan.LogDirectory, "central-server-commands.log");
        var (exit, output) = await ChildProcess.RunToCompletionAsync(
            "central-server print-anchor",
            Binaries.CentralServerDll,
            ["print-anchor", "--out", Plan.AnchorPath, "--data-directory", Plan.CentralDirectory, $"--CentralServer:Publication:ConfigurationUrl={Plan.CentralConfigurationUrl}"],
            Plan.StateDirectory,
            log,
            CommandTimeout,
            cancellationToken).ConfigureAwait(false);
        var hash = AnchorHashLine().Match(output);
        if (exit != 0 || !File.Exists(Plan.AnchorPath))
        {
            throw new QuickstartException($"print-anchor failed (exit {exit}); see {log}:\n{ChildProcess.Tail(log)}");
        }

        return hash.Success ? hash.Groups[1].Value : "?";
    }

    /// <summary>
    /// Registers the echo provider's WSDL for the provider subsystem through ss2's admin API (ss2 fetches it and
    /// adds one SOAP service per operation), then lets the consumer subsystem call each of them.
    /// </summary>
    private async Task<string> RegisterSoapSampleAsync(ExchangeGateway.Cli.AdminClient admin, CancellationToken cancellationToken)
    {
        var description = await admin.AddServiceDescriptionAsync(FederationPlan.ProviderClient, "wsdl", Plan.WsdlUrl, null, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var code in FederationPlan.SoapServiceCodes)
        {
            await admin.PutAccessRightsAsync(FederationPlan.ProviderClient, code, [new JsonObject { ["subject"] = FederationPlan.ConsumerClient }], cancellationToken).ConfigureAwait(false);
        }

        var id = description.ValueKind == JsonValueKind.Object && description.TryGetProperty("id", out var d) ? d.ToString() : "?";
        return $"description {id} from {Plan.WsdlUrl}: {string.Join(", ", FederationPlan.SoapServiceCodes.Select(FederationPlan.SoapServiceId))}";
    }

    /// <summary>A helloService request from the consumer, with <see cref="MessageIdPlaceholder"/> as its id, for the printed curl command.</summary>
    private void WriteSoapRequest()
    {
        var request = SoapSample.HelloRequest(MessageIdPlaceholder, "World");
        File.WriteAllBytes(Plan.SoapRequestPath, request);
    }

    private async Task<long> WaitUntilRegisteredAsync(CancellationToken cancellationToken)
    {
        var probe = GlobalConfigurationProbe.FromAnchorFile(_http, Plan.AnchorPath);
        var clock = Stopwatch.StartNew();
        var nextNote = TimeSpan.FromSeconds(15);
        var missing = new List<string>();
        while (clock.Elapsed < RegistrationTimeout)
        {
            foreach (var child in _children)
            {
                ThrowIfExited(child);
            }

            missing.Clear();
            var (configuration, problem) = await probe.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (configuration is null)
            {
                missing.Add(problem!);
            }
            else
            {
                missing.AddRange(Plan.SecurityServers.Select(s => GlobalConfigurationProbe.Missing(configuration, s)).OfType<string>());
            }

            // Published is not enough: each server must also have loaded a configuration that shows it all.
            var published = missing.Count == 0 ? configuration!.Serial : long.MaxValue;
            foreach (var server in Plan.SecurityServers)
            {
                if (await ReadyProblemAsync(server, published, cancellationToken).ConfigureAwait(false) is { } notReady)
                {
                    missing.Add(notReady);
                }
            }

            if (missing.Count == 0)
            {
                return published;
            }

            if (clock.Elapsed > nextNote)
            {
                Note($"still waiting ({clock.Elapsed.TotalSeconds:0} s): {string.Join("; ", missing)}");
                nextNote += TimeSpan.FromSeconds(15);
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        var tails = string.Join("\n", Plan.SecurityServers.Select(s => $"---- last lines of {s.LogPath}:\n{ChildProcess.Tail(s.LogPath, 15)}"));
        throw new QuickstartException($"The security servers were not ready and registered within {RegistrationTimeout.TotalSeconds:0} s: {string.Join("; ", missing)}\n{tails}");
    }

    /// <summary>Null when the server answers ready and has loaded configuration serial <paramref name="serial"/> or later.</summary>
    private async Task<string?> ReadyProblemAsync(SecurityServerPlan server, long serial, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(server.AdminUrl + "/health/ready"), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"{server.Name} /health/ready {(int)response.StatusCode} {body}";
            }

            if (serial == long.MaxValue)
            {
                return null;
            }

            using var ready = JsonDocument.Parse(body);
            var loaded = ready.RootElement.TryGetProperty("globalConfiguration", out var conf) && conf.TryGetProperty("serial", out var s) && s.ValueKind == JsonValueKind.Number
                ? s.GetInt64()
                : 0;
            return loaded >= serial ? null : $"{server.Name} has loaded configuration serial {loaded}, not yet {serial}";
        }
        catch (HttpRequestException ex)
        {
            return $"{server.Name} /health/ready: {ex.Message}";
        }
        catch (JsonException ex)
        {
            return $"{server.Name} /health/ready: {ex.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{server.Name} /health/ready timed out";
        }
    }

    private void WriteFederationJson()
    {
        ChildProcess? Child(string name) => _children.FirstOrDefault(c => c.Name == name);
        var trust = Child("trust-services");
        var central = Child("central-server");
        var description = new JsonObject
        {
            ["instance"] = FederationPlan.Instance,
            ["stateDirectory"] = Plan.StateDirectory,
            ["centralServer"] = new JsonObject
            {
                ["adminUrl"] = Plan.CentralAdminUrl,
                ["configUrl"] = Plan.CentralConfigurationUrl,
                ["globalConfUrl"] = Plan.CentralConfigurationUrl + "/globalconf",
                ["managementServiceUrl"] = Plan.CentralConfigurationUrl + "/managementservice",
                ["anchorPath"] = Plan.AnchorPath,
                ["dataDirectory"] = Plan.CentralDirectory,
                ["logPath"] = central?.LogPath,
                ["pid"] = central?.Id,
            },
            ["trustServices"] = new JsonObject
            {
                ["url"] = Plan.TrustServicesUrl,
                ["ocspUrl"] = Plan.OcspUrl,
                ["tsaUrl"] = Plan.TsaUrl,
                ["caCertPath"] = Plan.CaBundlePath,
                ["caRootCertPath"] = Path.Combine(Plan.TrustDirectory, "ca-root.pem"),
                ["caIntermediateCertPath"] = Path.Combine(Plan.TrustDirectory, "ca-intermediate.pem"),
                ["ocspResponderCertPath"] = Path.Combine(Plan.TrustDirectory, "ocsp-responder.pem"),
                ["tsaCertPath"] = Plan.TsaCertificatePath,
                ["dataDirectory"] = Plan.TrustDirectory,
                ["logPath"] = trust?.LogPath,
                ["pid"] = trust?.Id,
            },
            ["securityServers"] = new JsonArray([.. Plan.SecurityServers.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.ServerId,
                ["owner"] = s.OwnerMemberId,
                ["clientProxyUrl"] = s.ClientProxyUrl,
                ["clientProxyTlsUrl"] = s.ClientProxyTlsUrl,
                ["serverProxyUrl"] = s.ServerProxyUrl,
                ["publicAddress"] = s.PublicAddress,
                ["adminUrl"] = s.AdminUrl,
                ["dataDirectory"] = s.DataDirectory,
                ["serverConfPath"] = s.ServerConfPath,
                ["logPath"] = s.LogPath,
                ["pid"] = Child(s.Name)?.Id,
            })]),
            ["clients"] = new JsonArray([.. Plan.SecurityServers.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.ClientId,
                ["securityServer"] = s.ServerId,
                ["connectionType"] = "http",
            })]),
            ["services"] = new JsonArray([
                new JsonObject
                {
                    ["id"] = FederationPlan.ServiceId,
                    ["securityServer"] = Plan.Provider.ServerId,
                    ["type"] = "rest",
                    ["url"] = Plan.EchoUrl,
                    ["allowedClients"] = new JsonArray(FederationPlan.ConsumerClient),
                },
                .. FederationPlan.SoapServiceCodes.Select(code => (JsonNode)new JsonObject
                {
                    ["id"] = FederationPlan.SoapServiceId(code),
                    ["securityServer"] = Plan.Provider.ServerId,
                    ["type"] = "soap",
                    ["code"] = code,
                    ["version"] = FederationPlan.SoapServiceVersion,
                    ["url"] = Plan.SoapUrl,
                    ["wsdlUrl"] = Plan.WsdlUrl,
                    ["allowedClients"] = new JsonArray(FederationPlan.ConsumerClient),
                }),
            ]),
            ["echoProvider"] = new JsonObject
            {
                ["url"] = Plan.EchoUrl,
                ["summaryHeader"] = EchoProvider.SummaryHeader,
                ["pid"] = Environment.ProcessId,
            },
            ["apiKeysPath"] = Plan.ApiKeysPath,
            ["quickstartPid"] = Environment.ProcessId,
            ["processes"] = new JsonArray([
                new JsonObject { ["name"] = "quickstart", ["pid"] = Environment.ProcessId, ["logPath"] = null },
                .. _children.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["pid"] = c.Id, ["logPath"] = c.LogPath }),
            ]),
            ["example"] = new JsonObject
            {
                ["curl"] = CurlExample(),
                ["soapCurl"] = SoapCurlExample(),
                ["soapRequestPath"] = Plan.SoapRequestPath,
                ["soapEndpoint"] = Plan.Consumer.ClientProxyUrl + "/",
            },
        };
        File.WriteAllText(Plan.FederationJsonPath, description.ToJsonString(Indented) + "\n");
    }

    private Stopwatch Begin(int number, string what)
    {
        _out.Write(string.Create(CultureInfo.InvariantCulture, $"[{number}/{Steps}] {what} ..."));
        _out.Flush();
        _lineOpen = true;
        return Stopwatch.StartNew();
    }

    private void Done(Stopwatch step, string result)
    {
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(_lineOpen ? " " : "        ")}ok ({step.Elapsed.TotalSeconds:0.0} s)\n        {result}"));
        _lineOpen = false;
    }

    private void Note(string text)
    {
        if (_lineOpen)
        {
            _out.WriteLine();
            _lineOpen = false;
        }

        _out.WriteLine("        " + text);
    }

    private string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);

    [GeneratedRegex(@"API key:\s*(\S+)")]
    private static partial Regex ApiKeyLine();

    [GeneratedRegex(@"key id\s*:\s*(\S+)")]
    private static partial Regex KeyIdLine();

    [GeneratedRegex(@"sha256\s+([0-9A-Fa-f]{64})")]
    private static partial Regex AnchorHashLine();
}

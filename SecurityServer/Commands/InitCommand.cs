using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Commands;

/// <summary>
/// <c>init --server-id INSTANCE/CLASS/MEMBER/CODE --trust-services URL --pin-file FILE</c>: the development
/// shortcut of onboarding for test federations. It initialises the token with the PIN (or logs in to an
/// initialised one), generates the authentication key and the owner's signing key in it, gets both
/// certificates from the dev CA through PKCS#10 requests, imports them, and writes an empty
/// <c>serverconf.json</c> when there is none. Registration is left to the admin API or to
/// <c>SecurityServer:AutoRegister</c>. Idempotent. The PIN comes from <c>--pin-file</c> or the environment
/// variable <c>XGW_TOKEN_PIN</c>, never from the command line. Prints a JSON summary.
/// Exit code 0 on success, 1 on failure, 2 for bad usage.
/// </summary>
public static class InitCommand
{
    /// <summary>The command word.</summary>
    public const string Name = "init";

    /// <summary>The environment variable that may hold the token PIN.</summary>
    public const string PinVariable = "XGW_TOKEN_PIN";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs the command. <paramref name="args"/> may also hold <c>--SecurityServer:DataDirectory=...</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, HttpClient? http = null, SoftwareTokenOptions? tokenOptions = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var serverText = Option(args, "--server-id");
        var trustServices = Option(args, "--trust-services");
        var pinFile = Option(args, "--pin-file");
        if (serverText is null || trustServices is null || !Uri.TryCreate(trustServices, UriKind.Absolute, out var trustUri))
        {
            await output.WriteLineAsync($"usage: {Name} --server-id INSTANCE/CLASS/MEMBER/SERVERCODE --trust-services http://127.0.0.1:4300 (--pin-file FILE | {PinVariable}=...) [--SecurityServer:DataDirectory=DIR]").ConfigureAwait(false);
            return 2;
        }

        var server = SecurityServerId.TryParse(serverText);
        if (!server.Success)
        {
            await output.WriteLineAsync($"FAILED: --server-id is invalid: {server.Message}").ConfigureAwait(false);
            return 2;
        }

        var pin = pinFile is not null ? (await File.ReadAllTextAsync(pinFile).ConfigureAwait(false)).TrimEnd('\r', '\n') : Environment.GetEnvironmentVariable(PinVariable);
        if (string.IsNullOrEmpty(pin))
        {
            await output.WriteLineAsync($"FAILED: no token PIN: pass --pin-file FILE or set {PinVariable}").ConfigureAwait(false);
            return 2;
        }

        var dataDirectory = Setting(args, $"{SecurityServerOptions.Section}:{nameof(SecurityServerOptions.DataDirectory)}") ?? new SecurityServerOptions().DataDirectory;
        Directory.CreateDirectory(dataDirectory);
        using var token = new SoftwareToken((tokenOptions ?? new SoftwareTokenOptions { Directory = "unused" }) with { Directory = Path.Combine(dataDirectory, "keys") });
        var opened = token.Status == TokenStatus.Uninitialised ? token.Initialise(pin) : token.Login(pin);
        if (!opened.Success)
        {
            await output.WriteLineAsync($"FAILED: {opened.Code}: {opened.Message}").ConfigureAwait(false);
            return 1;
        }

        using var client = http is null ? new HttpClient() : null;
        var enrolment = await TokenEnrolment.EnrolAsync(http ?? client!, trustUri, token, server.Value!).ConfigureAwait(false);
        if (!enrolment.Success)
        {
            await output.WriteLineAsync($"FAILED: {enrolment.ErrorCode}: {enrolment.Message}").ConfigureAwait(false);
            return 1;
        }

        var store = new LocalConfigurationStore(dataDirectory);
        var created = store.CreateIfAbsent(LocalConfiguration.Empty(server.Value!));
        var summary = new
        {
            serverId = server.Value!.ToString(),
            dataDirectory = Path.GetFullPath(dataDirectory),
            serverConfiguration = new { path = store.FilePath, created },
            token = new { status = token.Status.ToString() },
            keys = token.Describe().Keys.Select(k => new
            {
                id = k.Id,
                usage = k.Usage.ToString(),
                member = k.Member?.ToString(),
                certificates = k.Certificates.Select(c => new { id = c.Id, subject = c.Subject, state = c.State.ToString(), active = c.Active, notAfter = c.NotAfter }),
            }),
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(summary, Indented)).ConfigureAwait(false);
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string? Setting(string[] args, string key)
    {
        var prefix = "--" + key + "=";
        return args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))?[prefix.Length..];
    }
}

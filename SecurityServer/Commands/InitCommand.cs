using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.SecurityServer.Commands;

/// <summary>
/// <c>init --server-id INSTANCE/CLASS/MEMBER/CODE --trust-services URL</c>: creates the authentication key
/// and the owner's signing key, gets both certificates from the dev CA through PKCS#10 requests, and
/// writes an empty <c>serverconf.json</c> when there is none. Idempotent. Prints a JSON summary.
/// Exit code 0 on success, 1 on failure, 2 for bad usage.
/// </summary>
public static class InitCommand
{
    /// <summary>The command word.</summary>
    public const string Name = "init";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs the command. <paramref name="args"/> may also hold <c>--SecurityServer:DataDirectory=...</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var serverText = Option(args, "--server-id");
        var trustServices = Option(args, "--trust-services");
        if (serverText is null || trustServices is null || !Uri.TryCreate(trustServices, UriKind.Absolute, out var trustUri))
        {
            await output.WriteLineAsync($"usage: {Name} --server-id INSTANCE/CLASS/MEMBER/SERVERCODE --trust-services http://127.0.0.1:4300 [--SecurityServer:DataDirectory=DIR]").ConfigureAwait(false);
            return 2;
        }

        var server = SecurityServerId.TryParse(serverText);
        if (!server.Success)
        {
            await output.WriteLineAsync($"FAILED: --server-id is invalid: {server.Message}").ConfigureAwait(false);
            return 2;
        }

        var dataDirectory = Setting(args, $"{SecurityServerOptions.Section}:{nameof(SecurityServerOptions.DataDirectory)}") ?? new SecurityServerOptions().DataDirectory;
        Directory.CreateDirectory(dataDirectory);
        var keys = new SoftwareKeyStore(Path.Combine(dataDirectory, "keys"));
        using var client = http is null ? new HttpClient() : null;
        var enrolment = await DevCaEnrolment.EnrolAsync(http ?? client!, trustUri, keys, server.Value!).ConfigureAwait(false);
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
            keys = enrolment.Keys.Select(k => new { slot = k.Slot.ToString(), outcome = k.Outcome.ToString(), subject = k.Subject, certificateSha256 = k.CertificateSha256, notAfter = k.NotAfter }),
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

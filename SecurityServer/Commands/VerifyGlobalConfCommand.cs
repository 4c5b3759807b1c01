using System.Globalization;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.Config.Verification;

namespace ExchangeGateway.SecurityServer.Commands;

/// <summary>
/// <c>verify-globalconf --anchor FILE [--file ENVELOPE]</c>: downloads (or reads) the signed global
/// configuration and verifies it against the anchor exactly as the running server does, printing the
/// verdict. Exit code 0 when valid, 1 when not, 2 for bad usage.
/// </summary>
public static class VerifyGlobalConfCommand
{
    /// <summary>The command word.</summary>
    public const string Name = "verify-globalconf";

    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TimeProvider time, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(time);
        var anchorPath = Option(args, "--anchor");
        var file = Option(args, "--file");
        if (anchorPath is null)
        {
            await output.WriteLineAsync($"usage: {Name} --anchor ANCHOR.json [--file GLOBALCONF]").ConfigureAwait(false);
            return 2;
        }

        var anchorBytes = await File.ReadAllBytesAsync(anchorPath).ConfigureAwait(false);
        var anchor = ConfigurationAnchorSerializer.Read(anchorBytes);
        if (!anchor.Success)
        {
            await output.WriteLineAsync($"FAILED: the anchor is invalid: {anchor.Message}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"anchor: instance {anchor.Value.InstanceId}, sha256 {ConfigurationAnchorSerializer.Sha256Hex(anchorBytes)}").ConfigureAwait(false);
        byte[] envelope;
        if (file is not null)
        {
            envelope = await File.ReadAllBytesAsync(file).ConfigureAwait(false);
        }
        else
        {
            var url = anchor.Value.DownloadUrls[0];
            using var owned = http is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(30) } : null;
            try
            {
                envelope = await (http ?? owned!).GetByteArrayAsync(new Uri(url)).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                await output.WriteLineAsync($"FAILED: could not download {url}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        var signed = SignedConfigurationEnvelope.Read(envelope);
        if (!signed.Success)
        {
            await output.WriteLineAsync($"FAILED: {signed.ErrorCode}: {signed.Message}").ConfigureAwait(false);
            return 1;
        }

        var result = new ConfigurationVerifier().Verify(signed.Value, anchor.Value, held: null, time.GetUtcNow());
        if (!result.IsValid)
        {
            await output.WriteLineAsync($"FAILED: {result.Failure.Value.ToCode()}: {result.Message}").ConfigureAwait(false);
            return 1;
        }

        var c = result.Value;
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"OK: instance {c.InstanceId}, serial {c.Serial}, generated {c.GeneratedAt:O}, expires {c.ExpiresAt:O}, {c.Members.Count} members, {c.SecurityServers.Count} security servers, content sha256 {signed.Value.ContentSha256Hex()}")).ConfigureAwait(false);
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

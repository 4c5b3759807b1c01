using System.Text.RegularExpressions;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Tests.Support;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Audit.Tests;

/// <summary>
/// <c>xgw-audit extract</c>: every cryptographic part of a bundle checks with OpenSSL alone, by the very
/// commands README.txt lists, and each check fails on a tampered part.
/// </summary>
public sealed partial class ExtractCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private string _parts = null!;

    public async Task InitializeAsync()
    {
        var path = _directory.File("exchange.xgwe");
        await using (var world = await EvidenceWorld.CreateAsync(DateTimeOffset.UtcNow.AddHours(-1)))
        {
            var (request, response) = await world.LogExchangeAsync();
            await world.LogExchangeAsync(error: true);
            await world.CheckpointAsync();
            await File.WriteAllBytesAsync(path, EvidenceBundleSerializer.Write(world.Bundle(request, response)));
            await File.WriteAllBytesAsync(_directory.File("error.xgwe"), EvidenceBundleSerializer.Write(world.Bundle(3, 4)));
        }

        _parts = _directory.File("parts");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await XgwAudit.RunAsync(["extract", path, _parts], output, error);
        Assert.True(code == AuditExitCodes.Verified, error.ToString());
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Extract_WritesEveryPartAsItsOwnFile()
    {
        var names = Directory.GetFiles(_parts).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                "README.txt", "anchor-certificates.pem", "anchor.json", "ca-certificates.pem",
                "checkpoint.p7s", "checkpoint.tsr", "checkpoint.txt", "globalconf.json", "globalconf.p7s",
                "issuer-1.pem", "issuer-2.pem",
                "message-1.head", "message-1.ocsp.der", "message-1.p7s", "message-1.signed",
                "message-2.head", "message-2.ocsp.der", "message-2.p7s", "message-2.signed",
                "record-1.bin", "record-1.body", "record-2.bin", "record-2.body",
                "signer-1.pem", "signer-2.pem", "tsa-certificates.pem",
            ],
            names);
        Assert.StartsWith("xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n4\n", File.ReadAllText(Path.Combine(_parts, "checkpoint.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readme_EveryListedOpenSslCommand_Succeeds()
    {
        var commands = OpenSslLines().Matches(await File.ReadAllTextAsync(Path.Combine(_parts, "README.txt"))).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(10, commands.Count);
        foreach (var command in commands)
        {
            var result = await OpenSsl.RunAsync(_parts, command.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(result.ExitCode == 0, $"openssl {command}\n{result.Output}");
        }
    }

    [Fact]
    public async Task MessageSignature_VerifiesWithOpenSslCms_AndFailsOnAnotherBatchRoot()
    {
        var good = await CmsVerifyAsync("message-1.p7s", "message-1.signed");
        Tamper("message-1.signed", 30);
        var bad = await CmsVerifyAsync("message-1.p7s", "message-1.signed");

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("CMS Verification successful", good.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("content verify error", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointTimeStamp_VerifiesWithOpenSslTs_AndFailsOnAnotherSignature()
    {
        var good = await TsVerifyAsync();
        Tamper("checkpoint.p7s", 40);
        var bad = await TsVerifyAsync();

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("Verification: OK", good.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("message imprint mismatch", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ocsp_SaysGoodWithOpenSslOcsp_AndFailsForAnotherCertificateOrATamperedResponse()
    {
        var good = await OcspAsync("message-1.ocsp.der", "signer-1.pem");
        var otherCertificate = await OcspAsync("message-1.ocsp.der", "signer-2.pem");
        var length = new FileInfo(Path.Combine(_parts, "message-1.ocsp.der")).Length;
        Tamper("message-1.ocsp.der", (int)length - 5);
        var tampered = await OcspAsync("message-1.ocsp.der", "signer-1.pem");

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("Response verify OK", good.Output, StringComparison.Ordinal);
        Assert.Contains("signer-1.pem: good", good.StdOut, StringComparison.Ordinal);
        Assert.NotEqual(0, otherCertificate.ExitCode);
        Assert.Contains("signer-2.pem: ERROR: No Status found.", otherCertificate.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, tampered.ExitCode);
        Assert.Contains("Response Verify Failure", tampered.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointSignature_VerifiesWithOpenSslCms_AndFailsOnAnotherCheckpoint()
    {
        var good = await CmsVerifyAsync("checkpoint.p7s", "checkpoint.txt");
        Tamper("checkpoint.txt", 40);
        var bad = await CmsVerifyAsync("checkpoint.p7s", "checkpoint.txt");

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("content verify error", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GlobalConfiguration_VerifiesToTheAnchorWithOpenSslCms_AndFailsWhenChanged()
    {
        var good = await CmsVerifyAsync("globalconf.p7s", "globalconf.json", "anchor-certificates.pem");
        var otherAnchor = await CmsVerifyAsync("globalconf.p7s", "globalconf.json", "ca-certificates.pem");
        Tamper("globalconf.json", 20);
        var bad = await CmsVerifyAsync("globalconf.p7s", "globalconf.json", "anchor-certificates.pem");

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.NotEqual(0, otherAnchor.ExitCode);
        Assert.NotEqual(0, bad.ExitCode);
    }

    [Fact]
    public async Task Extract_ErrorRecord_NoMessageFilesAndTheReadmeSaysWhy()
    {
        var parts = _directory.File("error-parts");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await XgwAudit.RunAsync(["extract", _directory.File("error.xgwe"), parts], output, error);

        Assert.Equal(AuditExitCodes.Verified, code);
        Assert.True(File.Exists(Path.Combine(parts, "message-3.p7s")));
        Assert.False(File.Exists(Path.Combine(parts, "message-4.p7s")));
        Assert.False(File.Exists(Path.Combine(parts, "record-4.body")));
        Assert.Contains("Record 4 is an error record (HTTP 502, server.service_failed): there is no signed message.", await File.ReadAllTextAsync(Path.Combine(parts, "README.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_UnreadableBundle_UsageError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await XgwAudit.RunAsync(["extract", _directory.File("none.xgwe"), _directory.File("out")], output, error);

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.False(Directory.Exists(_directory.File("out")));
    }

    private Task<OpenSsl.Result> CmsVerifyAsync(string signature, string content, string caFile = "ca-certificates.pem") =>
        OpenSsl.RunAsync(_parts, "cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", content, "-CAfile", caFile, "-partial_chain", "-purpose", "any", "-attime", AtTime(), "-out", "/dev/null");

    private Task<OpenSsl.Result> TsVerifyAsync() =>
        OpenSsl.RunAsync(_parts, "ts", "-verify", "-in", "checkpoint.tsr", "-token_in", "-data", "checkpoint.p7s", "-CAfile", "tsa-certificates.pem", "-partial_chain", "-attime", AtTime());

    private Task<OpenSsl.Result> OcspAsync(string response, string certificate) =>
        OpenSsl.RunAsync(_parts, "ocsp", "-respin", response, "-sha256", "-issuer", "issuer-1.pem", "-cert", certificate, "-CAfile", "ca-certificates.pem", "-partial_chain", "-attime", AtTime());

    // The evidence was made an hour ago, by the world's clock; certificates are checked then.
    private static string AtTime() => DateTimeOffset.UtcNow.AddMinutes(-59).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Tamper(string file, int offset)
    {
        var path = Path.Combine(_parts, file);
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    [GeneratedRegex(@"^  openssl (.+)$", RegexOptions.Multiline)]
    private static partial Regex OpenSslLines();
}

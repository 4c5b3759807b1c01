using System.Diagnostics;
using System.Text.Json;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Tests.Support;
using ExchangeGateway.Testing.Tools;
using static ExchangeGateway.Audit.Tests.AuditRun;

namespace ExchangeGateway.Audit.Tests;

/// <summary><c>xgw-audit verify</c>: a bundle verifies with nothing but the file, and a bad one says which check failed.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Verify_BundleAloneAfterEverythingElseIsGone_VerifiedWithEveryCheckListed()
    {
        var path = await WriteBundleAsync();

        var (code, output, error) = await RunAsync("verify", path);

        Assert.Equal(AuditExitCodes.Verified, code);
        Assert.Equal(string.Empty, error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("VERIFIED: bundle of DEV/GOV/70000001/ss1 records 1, 2: all 17 checks passed", lines[0]);
        Assert.Equal(17, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("PASS ", l, StringComparison.Ordinal));
        Assert.StartsWith("PASS trust.anchor: the evidence's own anchor of instance DEV, SHA-256 ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("PASS record.1.signature: record 1: batch signature (leaf 1 of 3) by 'C=DEV, O=ORG, CN=70000002' of member DEV/ORG/70000002", lines[6], StringComparison.Ordinal);
        Assert.StartsWith("PASS pair: records 1 and 2: request and response of exchange ", lines[17], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Json_VerdictSubjectAndChecks()
    {
        var path = await WriteBundleAsync();

        var (code, output, _) = await RunAsync("verify", path, "--json");

        Assert.Equal(AuditExitCodes.Verified, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("verified", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("bundle of DEV/GOV/70000001/ss1 records 1, 2", json.RootElement.GetProperty("subject").GetString());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(17, checks.Count);
        Assert.Equal("record.2.ocsp", checks[11].GetProperty("name").GetString());
        Assert.True(checks[11].GetProperty("passed").GetBoolean());
        Assert.Equal(2, checks[11].GetProperty("item").GetInt64());
        Assert.False(checks[0].TryGetProperty("item", out _));
    }

    [Fact]
    public async Task Verify_FlippedBodyByte_ExitOneNamingTheCheckAndRecord()
    {
        var path = await WriteBundleAsync(b =>
        {
            var body = b.Records[1].Body!.Value.ToArray();
            body[0] ^= 0x20;
            return b with { Records = [b.Records[0], b.Records[1] with { Body = body }] };
        });

        var (code, output, _) = await RunAsync("verify", path);

        Assert.Equal(AuditExitCodes.Failed, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("NOT VERIFIED: bundle of DEV/GOV/70000001/ss1 records 1, 2: 1 of 17 checks failed, the first is record.2.body", lines[0]);
        Assert.Single(lines, l => l.StartsWith("FAIL record.2.body: record 2: the body's SHA-512 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_TamperedJson_FailedVerdict()
    {
        var path = await WriteBundleAsync(b => b with { Checkpoint = b.Checkpoint with { TimeStampToken = b.Checkpoint.TimeStampToken[..^1] } });

        var (code, output, _) = await RunAsync("verify", path, "--json");

        Assert.Equal(AuditExitCodes.Failed, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("failed", json.RootElement.GetProperty("verdict").GetString());
        var failed = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray(), c => !c.GetProperty("passed").GetBoolean());
        Assert.Equal("checkpoint.timestamp", failed.GetProperty("name").GetString());
        Assert.Equal(2, failed.GetProperty("item").GetInt64());
    }

    [Fact]
    public async Task Verify_OwnAnchor_SameVerifiesOtherFails()
    {
        byte[] anchor = [];
        var path = await WriteBundleAsync(b =>
        {
            anchor = b.Trust.Anchor.ToArray();
            return b;
        });
        var same = _directory.File("anchor.json");
        await File.WriteAllBytesAsync(same, anchor);
        using var rogue = EvidenceFederation.CreateConfigurationSigner("Someone Else", DateTimeOffset.UtcNow);
        var other = _directory.File("other-anchor.json");
        await File.WriteAllBytesAsync(other, ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create("DEV", ["https://cs.example/"], [rogue])));

        var good = await RunAsync("verify", path, "--anchor", same);
        var bad = await RunAsync("verify", path, "--anchor", other);

        Assert.Equal(AuditExitCodes.Verified, good.Code);
        Assert.Contains("PASS trust.anchor: the auditor's anchor of instance DEV", good.Output, StringComparison.Ordinal);
        Assert.Equal(AuditExitCodes.Failed, bad.Code);
        Assert.Contains("FAIL trust.anchor: the evidence's anchor (SHA-256 ", bad.Output, StringComparison.Ordinal);
        Assert.Contains("FAIL trust.configuration: ", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MissingFile_UsageError()
    {
        var (code, output, error) = await RunAsync("verify", _directory.File("absent.xgwe"));

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith(_directory.File("absent.xgwe") + ": cannot be read: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NotABundle_UsageErrorWithThePath()
    {
        var path = _directory.File("not.xgwe");
        await File.WriteAllTextAsync(path, "{\"format\":\"xgw-evidence-bundle/v1\"}");

        var (code, _, error) = await RunAsync("verify", path);

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Equal($"{path}: evidence bundle: $.createdAt is missing\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Verify_MissingAnchorFile_UsageError()
    {
        var path = await WriteBundleAsync();

        var (code, _, error) = await RunAsync("verify", path, "--anchor", _directory.File("none.json"));

        Assert.Equal(AuditExitCodes.Usage, code);
        Assert.Contains("none.json: cannot be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BuiltToolAsSeparateProcessInAnEmptyDirectory_VerifiedJson()
    {
        var path = await WriteBundleAsync();
        using var empty = new TempDirectory();
        File.Copy(path, Path.Combine(empty.Path, "bundle.xgwe"));
        var tool = Path.Combine(AppContext.BaseDirectory, "xgw-audit.dll");
        Assert.True(File.Exists(tool), tool);

        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = empty.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { tool, "verify", "bundle.xgwe", "--json" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == AuditExitCodes.Verified, await stdout + await stderr);
        using var json = JsonDocument.Parse(await stdout);
        Assert.Equal("verified", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(17, json.RootElement.GetProperty("checks").GetArrayLength());
        Assert.Equal(["bundle.xgwe"], Directory.GetFiles(empty.Path).Select(Path.GetFileName));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// Makes a real bundle of a request and its response in a world of its own, writes it to a file, and
    /// tears the world down (PKI, TSA, log, their directory), so the file is all that is left.
    /// </summary>
    private async Task<string> WriteBundleAsync(Func<EvidenceBundle, EvidenceBundle>? change = null)
    {
        var path = _directory.File("exchange.xgwe");
        await using (var world = await EvidenceWorld.CreateAsync(DateTimeOffset.UtcNow.AddHours(-1)))
        {
            var (request, response) = await world.LogExchangeAsync();
            await world.CheckpointAsync();
            var bundle = world.Bundle(request, response);
            await File.WriteAllBytesAsync(path, EvidenceBundleSerializer.Write(change is null ? bundle : change(bundle)));
        }

        return path;
    }
}

using System.Net;
using System.Text.Json;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using ExchangeGateway.SecurityServer.Evidence;
using ExchangeGateway.SecurityServer.Tests.Exchange;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Evidence;

/// <summary>
/// Witnessing through the real federation (Central Server, dev CA and TSA, two security servers witnessing every
/// second): ss1 is witnessed; then its log is rewritten while it is stopped, re-signed with its real key and
/// re-stamped so that it is self-consistent; after the restart the Central Server refuses its checkpoint as
/// inconsistent and keeps what it witnessed, and an auditor holding the old statement finds the rewrite offline.
/// </summary>
public sealed class WitnessingTests(WitnessFederation federation) : IClassFixture<WitnessFederation>
{
    private static readonly string Ss1Path = Uri.EscapeDataString(Federation.Ss1);

    [Fact]
    public async Task Witnessing_LogRewrittenAfterItWasWitnessed_CaughtByTheConsistencyCheck()
    {
        // Exchanges, then wait until the Central Server witnessed all of ss1's log.
        for (var i = 0; i < 4; i++)
        {
            await ExchangeAsync($"witness-{i}");
        }

        var log = federation.ServicesOf("ss1").GetRequiredService<MessageLogStore>();
        await EventuallyAsync(() => Task.FromResult(log.LatestWitness() is { } w && w.TreeSize == log.Count), "ss1 stored no statement covering its whole log");
        var witnessedLocally = log.LatestWitness()!;
        var witnessedSize = witnessedLocally.TreeSize;
        var witnessedRoot = log.GetCheckpoint(witnessedSize)!.RootHash;
        Assert.Equal(witnessedSize, Verify(witnessedLocally.Statement.ToArray(), witnessedLocally.Signature.ToArray()).TreeSize);

        // Rewrite record 1 while ss1 is stopped, with ss1's real signing key and fresh time-stamps: self-consistent.
        await federation.StopAsync("ss1");

        // Read only now: while ss1 ran, each pass witnessed the same checkpoint again, with a new statement.
        var before = await CentralLatestAsync();
        var statement = Verify(before.Statement, before.Signature);
        Assert.Equal((Federation.Ss1, witnessedSize, witnessedRoot), (statement.ServerId, statement.TreeSize, statement.RootHash));
        var listed = await CentralListedAsync();
        Assert.Equal(witnessedSize, listed.GetProperty("treeSize").GetInt64());
        var refusalsBefore = listed.GetProperty("refusals").GetInt64();
        Assert.NotEqual("witness.inconsistent", listed.GetProperty("lastRefusal") is { ValueKind: JsonValueKind.Object } r ? r.GetProperty("code").GetString() : null);

        var database = Path.Combine(federation.DataDirectory("ss1"), "messagelog.db");
        using (var signer = TestToken.Keys(federation.DataDirectory("ss1")).LoadSigningIdentity(MemberId.Parse("DEV/GOV/70000001"))!)
        {
            await LogRewriter.RewriteAsync(database, 1, "rewritten-after-witnessing", signer, new Uri(federation.Trust.BaseAddress, "tsa"));
        }

        var selfCheck = MessageLogVerifier.Verify(database, new MessageLogVerifierOptions { ServerId = Federation.Ss1 });
        Assert.True(selfCheck.IsValid, selfCheck.Message);

        await federation.StartAsync("ss1");
        await Federation.WaitReadyAsync(federation.Ports1);
        await ExchangeAsync("witness-after-restart");

        // The Central Server refuses, keeps the old statement and audits it.
        // The first pass after the restart may submit the rewritten checkpoint of the witnessed size (same size,
        // another root); wait for one that needs the consistency proof: a checkpoint covering the new exchange.
        await EventuallyAsync(
            async () => (await CentralListedAsync()).GetProperty("lastRefusal") is { ValueKind: JsonValueKind.Object } last && last.GetProperty("treeSize").GetInt64() > witnessedSize,
            "the Central Server recorded no refusal of a larger checkpoint of ss1");
        var refused = await CentralListedAsync();
        Assert.True(refused.GetProperty("refusals").GetInt64() > refusalsBefore);
        Assert.Equal("witness.inconsistent", refused.GetProperty("lastRefusal").GetProperty("code").GetString());
        Assert.Equal(witnessedSize, refused.GetProperty("treeSize").GetInt64());
        var after = await CentralLatestAsync();
        Assert.Equal(before.Statement, after.Statement);
        Assert.Equal(before.Signature, after.Signature);
        var audit = await federation.CentralAdmin.GetStringAsync("audit?limit=1000");
        using (var entries = JsonDocument.Parse(audit))
        {
            Assert.Contains(entries.RootElement.EnumerateArray(), e => e.GetProperty("action").GetString() == "witness.checkpoint"
                && e.GetProperty("outcome").GetString() == "witness.inconsistent"
                && e.GetProperty("target").GetString()!.StartsWith(Federation.Ss1 + " ", StringComparison.Ordinal));
        }

        // ss1 itself raised the alarm and stored nothing newer.
        using (var admin = federation.Admin("ss1"))
        {
            var metrics = await admin.GetStringAsync("/metrics");
            Assert.Contains($"{WitnessingMetrics.FailuresTotal}{{code=\"{WitnessingCodes.HistoryMismatch}\"}}", metrics, StringComparison.Ordinal);
            Assert.Contains($"{WitnessingMetrics.FailuresTotal}{{code=\"witness.inconsistent\"}}", metrics, StringComparison.Ordinal);
        }

        var restarted = federation.ServicesOf("ss1").GetRequiredService<MessageLogStore>();
        Assert.Equal(witnessedSize, restarted.LatestWitness()!.TreeSize);

        // Offline, with nothing but the old statement and the rewritten log: the log does not extend what was witnessed.
        using var proofs = MessageLogProofs.Open(database, TimeSpan.FromSeconds(5));
        var newest = proofs.Checkpoints(1).Single();
        Assert.True(newest.TreeSize > witnessedSize);
        Assert.NotEqual(statement.RootHash, proofs.Checkpoints(int.MaxValue).Single(c => c.TreeSize == witnessedSize).RootHash);
        var consistency = proofs.ConsistencyProof(witnessedSize, newest.TreeSize);
        Assert.True(consistency.IsSuccess, consistency.Message);
        // The rewritten log's own proof holds for its own old root ...
        Assert.True(MerkleProofs.VerifyConsistency(witnessedSize, newest.TreeSize, consistency.Value!.From.RootHash, newest.RootHash, [.. consistency.Value.Proof]).IsValid);
        // ... and fails for the witnessed one.
        var offline = MerkleProofs.VerifyConsistency(witnessedSize, newest.TreeSize, statement.RootHash, newest.RootHash, [.. consistency.Value.Proof]);
        Assert.False(offline.IsValid);
    }

    private async Task ExchangeAsync(string marker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/{marker}");
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        using var response = await federation.ClientProxy.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<(byte[] Statement, byte[] Signature)> CentralLatestAsync()
    {
        var configurationUrl = new Uri(JsonDocument.Parse(await federation.CentralAdmin.GetStringAsync("anchor")).RootElement.GetProperty("downloadUrls")[0].GetString()!);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(configurationUrl, $"/witness/v1/servers/{Ss1Path}/latest")));
        return (document.RootElement.GetProperty("statement").GetBytesFromBase64(), document.RootElement.GetProperty("signature").GetBytesFromBase64());
    }

    private async Task<JsonElement> CentralListedAsync()
    {
        using var document = JsonDocument.Parse(await federation.CentralAdmin.GetStringAsync("witness"));
        return document.RootElement.EnumerateArray().Single(s => s.GetProperty("server").GetString() == Federation.Ss1).Clone();
    }

    private WitnessStatement Verify(byte[] statement, byte[] signature)
    {
        var anchor = ConfigurationAnchorSerializer.Read(File.ReadAllBytes(federation.AnchorPath));
        Assert.True(anchor.Success, anchor.Message);
        var certificates = anchor.Value.LoadCertificates();
        try
        {
            var verified = WitnessStatementVerifier.Verify(statement, signature, certificates);
            Assert.True(verified.IsValid, verified.Message);
            return verified.Value!;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string failure)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(failure);
    }
}

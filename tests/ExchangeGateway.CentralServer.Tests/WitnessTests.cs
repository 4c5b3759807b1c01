using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeGateway.CentralServer.Tests.Support;
using ExchangeGateway.CentralServer.Witnessing;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Tsa;

namespace ExchangeGateway.CentralServer.Tests;

/// <summary>
/// Witnessing against a real Central Server on loopback: an approved CA and TSA from the test PKI, a registered
/// security server EE/GOV/M1/ss1, checkpoints of an in-memory RFC 6962 tree signed by the owner's certificate and
/// stamped by the test TSA. Every refusal is checked for its exact code and for leaving the witnessed statement as
/// it was.
/// </summary>
public sealed class WitnessTests : IAsyncLifetime
{
    private const string Server = "EE/GOV/M1/ss1";

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly int _port = ManagementServer.FreePort();
    private TestPki _pki = null!;
    private X509Certificate2 _ownerSigning = null!;
    private TimeStampAuthority _tsa = null!;
    private CentralServerInstance _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _public = null!;

    public async Task InitializeAsync()
    {
        _pki = TestPki.Create(_time);
        _ownerSigning = _pki.IssueSigning("EE", "GOV", "M1");
        _tsa = new TimeStampAuthority(_pki.Tsa, _time);
        _server = await ManagementServer.StartAsync(_dir.File("central"), _port, _time);
        _admin = _server.Client(_server.AdminKey);
        _public = _server.Client(null);
        await ManagementServer.SeedAsync(_admin, _pki);
        await (await _admin.PostJson("api/v1/timestamping-authorities", new { name = "Test TSA", url = "http://127.0.0.1:9/tsa", certificate = _pki.Tsa.ExportCertificatePem() }))
            .Expect(HttpStatusCode.Created);
        await (await _admin.PostJson("api/v1/security-servers", new { id = Server, address = "ss1.example.org" })).Expect(HttpStatusCode.Created);
    }

    public async Task DisposeAsync()
    {
        _public.Dispose();
        _admin.Dispose();
        await _server.DisposeAsync();
        _ownerSigning.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Submit_FirstThenExtendingCheckpoint_StatementsVerifyWithTheAnchorAndLatestFollows()
    {
        var log = Log(12);
        await NoStatementAsync();

        var first = await (await SubmitAsync(Submission(log, 5, 0))).Expect(HttpStatusCode.OK);
        var statement = await VerifyAsync(first);
        Assert.Equal(("EE", Server, 5L, log.RootHashAt(5)), (statement.InstanceId, statement.ServerId, statement.TreeSize, statement.RootHash));
        Assert.Equal(first.GetRawText(), (await LatestAsync()).GetRawText());

        var second = await (await SubmitAsync(Submission(log, 12, 5, log.GetConsistencyProof(5, 12)))).Expect(HttpStatusCode.OK);
        Assert.Equal(12, (await VerifyAsync(second)).TreeSize);
        Assert.Equal(second.GetRawText(), (await LatestAsync()).GetRawText());

        // The same checkpoint again says the same thing later: accepted with an empty proof.
        await (await SubmitAsync(Submission(log, 12, 12))).Expect(HttpStatusCode.OK);

        var listed = Assert.Single((await (await _admin.GetAsync("api/v1/witness")).Expect(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(Server, listed.GetProperty("server").GetString());
        Assert.Equal(12, listed.GetProperty("treeSize").GetInt64());
        Assert.Equal(log.RootHashAt(12).ToString(), listed.GetProperty("rootHash").GetString());
        Assert.Equal(0, listed.GetProperty("refusals").GetInt64());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("lastRefusal").ValueKind);
    }

    [Fact]
    public async Task Submit_MalformedSubmissions_InvalidCheckpointAndNothingWitnessed()
    {
        var log = Log(8);
        var good = Submission(log, 8, 0);

        await Refused(good with { Checkpoint = "not base64!" }, HttpStatusCode.BadRequest, "witness.invalid_checkpoint");
        await Refused(good with { Checkpoint = Convert.ToBase64String("xgw-message-log-checkpoint/v1\n"u8) }, HttpStatusCode.BadRequest, "witness.invalid_checkpoint");
        await Refused(good with { Server = "EE/GOV/M1/other" }, HttpStatusCode.BadRequest, "witness.invalid_checkpoint");
        await Refused(good with { FromSize = 3 }, HttpStatusCode.BadRequest, "witness.invalid_checkpoint");
        await Refused(good with { Consistency = [log.RootHashAt(3).ToString()] }, HttpStatusCode.BadRequest, "witness.invalid_checkpoint");
        await Refused(good with { Consistency = ["XYZ"] }, HttpStatusCode.BadRequest, "witness.invalid_checkpoint");
        await Refused(Submission(log, 0, 0), HttpStatusCode.BadRequest, "witness.invalid_checkpoint");
        var missingField = await _public.PostRaw("witness/v1/checkpoints", """{"server":"EE/GOV/M1/ss1","checkpoint":"AA=="}""");
        await missingField.Expect(HttpStatusCode.BadRequest, "witness.invalid_checkpoint");

        await NoStatementAsync();
        var listed = Assert.Single((await (await _admin.GetAsync("api/v1/witness")).Expect(HttpStatusCode.OK)).EnumerateArray(), s => s.GetProperty("server").GetString() == Server);
        Assert.Equal(6, listed.GetProperty("refusals").GetInt64());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("treeSize").ValueKind);
    }

    [Fact]
    public async Task Submit_UnregisteredServer_UnknownServerAndNothingWitnessed()
    {
        const string unregistered = "EE/GOV/M1/ss9";
        var log = Log(4);

        await Refused(Submission(log, 4, 0, server: unregistered), HttpStatusCode.BadRequest, "witness.unknown_server");
        await Refused(Submission(log, 4, 0, server: "XX/GOV/M1/ss1"), HttpStatusCode.BadRequest, "witness.unknown_server");

        await (await _public.GetAsync($"witness/v1/servers/{ApiClient.Enc(unregistered)}/latest")).Expect(HttpStatusCode.NotFound, "witness.none");
    }

    [Fact]
    public async Task Submit_SignaturesThatDoNotProveTheOwner_InvalidSignatureAndNothingWitnessed()
    {
        var log = Log(6);
        var good = Submission(log, 6, 0);
        var content = Convert.FromBase64String(good.Checkpoint);

        // Another member's certificate of the approved CA.
        using var otherMember = _pki.IssueSigning("EE", "GOV", "M2");
        await Refused(Signed(good, content, otherMember), HttpStatusCode.BadRequest, "witness.invalid_signature");

        // The owner's name, but from a CA that is not approved.
        using var otherPki = TestPki.Create(_time, "Other");
        using var foreign = otherPki.IssueSigning("EE", "GOV", "M1");
        await Refused(Signed(good, content, foreign, [otherPki.IntermediateCertificate]), HttpStatusCode.BadRequest, "witness.invalid_signature");

        // The owner's signature over other bytes than the checkpoint.
        var otherBytes = new Checkpoint(Server, 6, log.RootHashAt(5), _time.GetUtcNow()).Encode();
        await Refused(Signed(good, otherBytes, _ownerSigning) with { Checkpoint = good.Checkpoint }, HttpStatusCode.BadRequest, "witness.invalid_signature");

        // A time-stamp over another hash, and one by a TSA that is not approved.
        await Refused(good with { TimeStampToken = Convert.ToBase64String(Stamp(SHA256.HashData("something else"u8), _tsa)) }, HttpStatusCode.BadRequest, "witness.invalid_signature");
        var strangerTsa = new TimeStampAuthority(otherPki.Tsa, _time);
        await Refused(good with { TimeStampToken = Convert.ToBase64String(Stamp(SHA256.HashData(Convert.FromBase64String(good.Signature)), strangerTsa)) }, HttpStatusCode.BadRequest, "witness.invalid_signature");

        await NoStatementAsync();
    }

    [Fact]
    public async Task Submit_SmallerThanWitnessed_RollbackAuditedAndStatementKept()
    {
        var log = Log(10);
        var witnessed = await (await SubmitAsync(Submission(log, 10, 0))).Expect(HttpStatusCode.OK);

        await Refused(Submission(log, 7, 10), HttpStatusCode.Conflict, "witness.rollback");

        Assert.Equal(witnessed.GetRawText(), (await LatestAsync()).GetRawText());
        var audit = await (await _admin.GetAsync("api/v1/audit?limit=1000")).Expect(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "witness.checkpoint"
            && e.GetProperty("outcome").GetString() == "witness.rollback" && e.GetProperty("target").GetString()!.StartsWith(Server + " 7 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_RewrittenHistory_InconsistentAuditedCountedAndStatementKept()
    {
        var refusals = new List<string>();
        using var listener = Listen(refusals);
        var log = Log(9);
        var witnessed = await (await SubmitAsync(Submission(log, 5, 0))).Expect(HttpStatusCode.OK);

        // Record 3 rewritten and every hash recomputed: the rewritten log is a perfectly good tree of its own,
        // signed and stamped, whose proof from 5 is valid for ITS old root, not for the witnessed one.
        var rewritten = Log(9, rewrite: 3);
        Assert.NotEqual(log.RootHashAt(5), rewritten.RootHashAt(5));
        await Refused(Submission(rewritten, 9, 5, rewritten.GetConsistencyProof(5, 9)), HttpStatusCode.Conflict, "witness.inconsistent");
        // The same size with another root.
        await Refused(Submission(rewritten, 5, 5), HttpStatusCode.Conflict, "witness.inconsistent");
        // The honest log's proof with the rewritten checkpoint.
        await Refused(Submission(rewritten, 9, 5, log.GetConsistencyProof(5, 9)), HttpStatusCode.Conflict, "witness.inconsistent");

        Assert.Equal(witnessed.GetRawText(), (await LatestAsync()).GetRawText());
        Assert.Equal(5, (await VerifyAsync(await LatestAsync())).TreeSize);
        var audit = await (await _admin.GetAsync("api/v1/audit?limit=1000")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, audit.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "witness.checkpoint" && e.GetProperty("outcome").GetString() == "witness.inconsistent"));
        Assert.Equal(["witness.inconsistent", "witness.inconsistent", "witness.inconsistent"], refusals);
        var listed = Assert.Single((await (await _admin.GetAsync("api/v1/witness")).Expect(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(5, listed.GetProperty("treeSize").GetInt64());
        Assert.Equal(3, listed.GetProperty("refusals").GetInt64());
        Assert.Equal("witness.inconsistent", listed.GetProperty("lastRefusal").GetProperty("code").GetString());

        // The honest log still extends what was witnessed.
        await (await SubmitAsync(Submission(log, 9, 5, log.GetConsistencyProof(5, 9)))).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Latest_And_List_PathsAndPermissions()
    {
        await (await _public.GetAsync("witness/v1/servers/not-an-id/latest")).Expect(HttpStatusCode.BadRequest, "client.invalid_identifier");
        await (await _public.GetAsync("api/v1/witness")).Expect(HttpStatusCode.Unauthorized, "auth.unauthenticated");
        using var observer = _server.Client(await _admin.CreateKey("observer", "observer"));
        await (await observer.GetAsync("api/v1/witness")).Expect(HttpStatusCode.OK);
    }

    private async Task Refused(CheckpointBody body, HttpStatusCode status, string code)
    {
        var before = await _public.GetAsync($"witness/v1/servers/{ApiClient.Enc(Server)}/latest");
        var beforeText = await before.Content.ReadAsStringAsync();
        await (await SubmitAsync(body)).Expect(status, code);
        var after = await _public.GetAsync($"witness/v1/servers/{ApiClient.Enc(Server)}/latest");
        Assert.Equal(before.StatusCode, after.StatusCode);
        if (before.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(beforeText, await after.Content.ReadAsStringAsync());
        }
    }

    private async Task NoStatementAsync() =>
        await (await _public.GetAsync($"witness/v1/servers/{ApiClient.Enc(Server)}/latest")).Expect(HttpStatusCode.NotFound, "witness.none");

    private async Task<JsonElement> LatestAsync() =>
        await (await _public.GetAsync($"witness/v1/servers/{ApiClient.Enc(Server)}/latest")).Expect(HttpStatusCode.OK);

    private async Task<WitnessStatement> VerifyAsync(JsonElement answer)
    {
        var anchor = ConfigurationAnchorSerializer.Read(await _admin.GetByteArrayAsync("api/v1/anchor"));
        Assert.True(anchor.Success, anchor.Message);
        var certificates = anchor.Value.LoadCertificates();
        try
        {
            var verified = WitnessStatementVerifier.Verify(
                answer.GetProperty("statement").GetBytesFromBase64(), answer.GetProperty("signature").GetBytesFromBase64(), certificates);
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

    private Task<HttpResponseMessage> SubmitAsync(CheckpointBody body) => _public.PostJson("witness/v1/checkpoints", body);

    /// <summary>A log of <paramref name="size"/> leaves; with <paramref name="rewrite"/> that record (1-based) has other content.</summary>
    private static MerkleTree Log(int size, int rewrite = 0)
    {
        var tree = new MerkleTree();
        for (var sequence = 1; sequence <= size; sequence++)
        {
            tree.Append(System.Text.Encoding.UTF8.GetBytes(sequence == rewrite ? $"record {sequence}, rewritten" : $"record {sequence}"));
        }

        return tree;
    }

    private CheckpointBody Submission(MerkleTree log, int size, long fromSize, MerkleHash[]? proof = null, string server = Server)
    {
        var content = new Checkpoint(server, size, log.RootHashAt(size), _time.GetUtcNow()).Encode();
        return Signed(new CheckpointBody(server, "", "", "", fromSize, [.. (proof ?? []).Select(h => h.ToString())]), content, _ownerSigning);
    }

    private CheckpointBody Signed(CheckpointBody body, byte[] content, X509Certificate2 signer, IEnumerable<X509Certificate2>? chain = null)
    {
        var signature = CmsDetachedSigner.Sign(content, signer, _time.GetUtcNow(), chain);
        return body with
        {
            Checkpoint = Convert.ToBase64String(content),
            Signature = Convert.ToBase64String(signature),
            TimeStampToken = Convert.ToBase64String(Stamp(SHA256.HashData(signature), _tsa)),
        };
    }

    private static byte[] Stamp(byte[] hash, TimeStampAuthority tsa)
    {
        var response = tsa.Respond(TimeStampRequestFactory.Create(hash, HashAlgorithmName.SHA256).Encode());
        var token = TimeStampVerifier.ExtractToken(response);
        Assert.True(token.IsValid, token.Message);
        return token.Value.ToArray();
    }

    // Only this server's meter: other tests' Central Servers run in the same process.
    private MeterListener Listen(List<string> refusals)
    {
        var factory = _server.Service<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == WitnessMetrics.RefusalsTotal && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (refusals)
            {
                refusals.Add((string)tags.ToArray().Single(t => t.Key == "code").Value!);
            }
        });
        listener.Start();
        return listener;
    }

    /// <summary>The JSON body of a submission, as a security server sends it.</summary>
    private sealed record CheckpointBody(string Server, string Checkpoint, string Signature, string TimeStampToken, long FromSize, string[] Consistency);
}

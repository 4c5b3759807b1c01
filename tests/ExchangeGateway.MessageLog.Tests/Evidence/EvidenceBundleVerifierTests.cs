using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

/// <summary>
/// Issue #7 "must show": bundles of real evidence verify offline, and each kind of tampering is caught by
/// the check named for it, whose message names the first bad item.
/// </summary>
public sealed class EvidenceBundleVerifierTests : IAsyncLifetime
{
    private EvidenceWorld _world = null!;

    public async Task InitializeAsync() => _world = await EvidenceWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Verify_RequestAndResponse_EveryCheckPassesInOrder()
    {
        await _world.LogExchangeAsync();
        var (request, response) = await _world.LogExchangeAsync();
        await _world.CheckpointAsync();

        var report = Verify(_world.Bundle(request, response));

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(
            [
                "trust.anchor", "trust.configuration", "trust.certificates",
                "record.3.encoding", "record.3.body", "record.3.signature", "record.3.ocsp", "record.3.inclusion",
                "record.4.encoding", "record.4.body", "record.4.signature", "record.4.ocsp", "record.4.inclusion",
                "checkpoint.content", "checkpoint.signature", "checkpoint.timestamp", "pair",
            ],
            report.Checks.Select(c => c.Name));
        Assert.Equal("bundle of DEV/GOV/70000001/ss1 records 3, 4", report.Subject);
        Assert.Contains("of member DEV/ORG/70000002", Check(report, "record.3.signature").Message, StringComparison.Ordinal);
        Assert.Contains("of member DEV/GOV/70000001", Check(report, "record.4.signature").Message, StringComparison.Ordinal);
        Assert.Equal(3, Check(report, "record.3.signature").Item);
        Assert.Equal(4, Check(report, "checkpoint.timestamp").Item);
    }

    [Fact]
    public async Task Verify_OneRecord_HasNoPairCheck()
    {
        var (request, _) = await _world.LogExchangeAsync();
        await _world.CheckpointAsync();

        var report = Verify(_world.Bundle(request));

        Assert.True(report.Passed, Describe(report));
        Assert.DoesNotContain(report.Checks, c => c.Name == "pair");
    }

    [Fact]
    public async Task Verify_OldestStampedCheckpointIsUsed_LaterRecordsDoNotMatter()
    {
        var (request, response) = await _world.LogExchangeAsync();
        await _world.CheckpointAsync();
        await _world.LogExchangeAsync();
        await _world.CheckpointAsync();

        var bundle = _world.Bundle(request, response);

        Assert.Equal(2, bundle.Records[0].Inclusion.TreeSize);
        Assert.True(Verify(bundle).Passed);
    }

    [Fact]
    public async Task Verify_ErrorResponse_SignatureAndOcspAreNotApplicable()
    {
        var (request, response) = await _world.LogExchangeAsync(error: true);
        await _world.CheckpointAsync();

        var report = Verify(_world.Bundle(request, response));

        Assert.True(report.Passed, Describe(report));
        Assert.Equal("record 2: not applicable: error record (HTTP 502, server.service_failed); no signed message exists", Check(report, "record.2.signature").Message);
        Assert.Equal("record 2: not applicable: error record (HTTP 502, server.service_failed); no signed message exists", Check(report, "record.2.ocsp").Message);
    }

    [Fact]
    public async Task Verify_RecordWithoutHeadThatIsNoErrorRecord_SignatureFails()
    {
        var (request, response) = await _world.LogExchangeAsync(error: true);
        await _world.CheckpointAsync();
        var bundle = _world.Bundle(request, response);
        var decoded = RecordDecoding.TryDecode(bundle.Records[1].Canonical.Span).Value.Record;

        // A record stripped of its error code and status: well-formed, but nothing says why it has no signature.
        var stripped = Replace(bundle, 1, r => r with
        {
            Canonical = RecordEncoding.Canonical(2, decoded with { ErrorCode = null, HttpStatus = null }),
            Fields = null,
        });
        var report = Verify(stripped);

        AssertFailed(report, "record.2.signature", "record 2: the record has no signed head, but it is not an error record");
        AssertFailed(report, "record.2.ocsp", "record 2: the record has no signed head, but it is not an error record");
    }

    [Fact]
    public async Task Verify_BodiesNotLogged_BodyCheckSaysSo()
    {
        var (request, response) = await _world.LogExchangeAsync(logBodies: false);
        await _world.CheckpointAsync();

        var bundle = _world.Bundle(request, response);
        var report = Verify(bundle);

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(EvidenceBodyState.NotLogged, bundle.Records[0].BodyState);
        Assert.Null(bundle.Records[0].Body);
        Assert.StartsWith("record 1: body not logged; the record keeps its SHA-512 ", Check(report, "record.1.body").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BodyErasedByRetention_StillVerifies()
    {
        var (request, response) = await _world.LogExchangeAsync();
        await _world.CheckpointAsync();
        _world.EraseBody(request);

        var bundle = _world.Bundle(request, response);
        var report = Verify(bundle);

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(EvidenceBodyState.Erased, bundle.Records[0].BodyState);
        Assert.Equal(EvidenceBodyState.Present, bundle.Records[1].BodyState);
        Assert.StartsWith("record 1: body erased by retention", Check(report, "record.1.body").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BodySealedInAnEncryptedArchive_VerifiesWithoutIt_ButNotWithABodyBeside()
    {
        var bundle = await ExchangeBundleAsync();
        var sealedBundle = Replace(bundle, 1, r => r with { Body = null, BodyState = EvidenceBodyState.Sealed });

        var report = Verify(EvidenceBundleSerializer.Read(EvidenceBundleSerializer.Write(sealedBundle)).Value!);
        var claimed = Verify(Replace(bundle, 1, r => r with { BodyState = EvidenceBodyState.Sealed }));

        Assert.True(report.Passed, Describe(report));
        Assert.StartsWith("record 2: body kept in an encrypted archive this evidence does not open; the record keeps its SHA-512 ", Check(report, "record.2.body").Message, StringComparison.Ordinal);
        Assert.Equal("record 2: the body state is 'sealed' but the bundle holds a body", Check(claimed, "record.2.body").Message);
    }

    [Fact]
    public async Task Verify_FlippedBodyByte_BodyFailsNamingTheRecord()
    {
        var bundle = await ExchangeBundleAsync();
        var body = bundle.Records[1].Body!.Value.ToArray();
        body[5] ^= 0x01;

        var report = Verify(Replace(bundle, 1, r => r with { Body = body }));

        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal("record.2.body", failed.Name);
        Assert.Equal(2, failed.Item);
        Assert.StartsWith("record 2: the body's SHA-512 ", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BodyStateClaimsPresentWithoutBody_BodyFails()
    {
        var bundle = await ExchangeBundleAsync();

        var report = Verify(Replace(bundle, 0, r => r with { Body = null }));

        AssertFailed(report, "record.1.body", "record 1: the body state is 'present' but the bundle holds no body");
    }

    [Fact]
    public async Task Verify_ChangedHeaderField_InclusionAndEncodingFailNamingTheRecord()
    {
        var bundle = await ExchangeBundleAsync();
        var decoded = RecordDecoding.TryDecode(bundle.Records[0].Canonical.Span).Value.Record;
        var changed = RecordEncoding.Canonical(1, decoded with { At = decoded.At.AddSeconds(-30) });

        var report = Verify(Replace(bundle, 0, r => r with { Canonical = changed }));

        AssertFailed(report, "record.1.encoding", "record 1: the readable field 'at' is not what the canonical bytes hold");
        AssertFailed(report, "record.1.inclusion", "record 1: Root mismatch");
        Assert.All(report.Checks.Where(c => !c.Passed), c => Assert.Equal(1, c.Item));
    }

    [Fact]
    public async Task Verify_RecordDatedAfterTheTimeStamp_TimestampFailsNamingTheRecord()
    {
        var bundle = await ExchangeBundleAsync();
        var decoded = RecordDecoding.TryDecode(bundle.Records[1].Canonical.Span).Value.Record;
        var postdated = decoded with { At = decoded.At.AddHours(1) };

        var report = Verify(Replace(bundle, 1, r => r with { Canonical = RecordEncoding.Canonical(2, postdated), Fields = EvidenceRecordFields.From(postdated) }));

        AssertFailed(report, "checkpoint.timestamp", $"checkpoint 2: record 2 is dated {LogTime.Format(postdated.At)}, after the time-stamp's time ");
        AssertFailed(report, "record.2.inclusion", "record 2: Root mismatch");
    }

    [Fact]
    public async Task Verify_ChangedHeaderFieldAndItsReadableCopy_InclusionStillFails()
    {
        var bundle = await ExchangeBundleAsync();
        var decoded = RecordDecoding.TryDecode(bundle.Records[1].Canonical.Span).Value.Record;
        var forged = decoded with { HttpStatus = 500 };

        var report = Verify(Replace(bundle, 1, r => r with { Canonical = RecordEncoding.Canonical(2, forged), Fields = EvidenceRecordFields.From(forged) }));

        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal("record.2.inclusion", failed.Name);
        Assert.StartsWith("record 2: Root mismatch: the inclusion proof for leaf 1 in a tree of size 2", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ChangedMessageIdInRecord_EncodingNamesTheSignedHead()
    {
        var bundle = await ExchangeBundleAsync();
        var decoded = RecordDecoding.TryDecode(bundle.Records[0].Canonical.Span).Value.Record;
        var forged = decoded with { MessageId = "msg-forged" };

        var report = Verify(Replace(bundle, 0, r => r with { Canonical = RecordEncoding.Canonical(1, forged), Fields = EvidenceRecordFields.From(forged) }));

        AssertFailed(report, "record.1.encoding", "record 1: the signed head's message id 'msg-1' is not the record's 'msg-forged'");
        AssertFailed(report, "record.1.inclusion", "record 1: Root mismatch");
        AssertFailed(report, "pair", "records 1 and 2: their message ids differ");
    }

    [Fact]
    public async Task Verify_LaterCheckpointSwappedIn_InclusionFailsNamingTreeSizes()
    {
        var bundle = await ExchangeBundleAsync();
        await _world.LogExchangeAsync();
        await _world.CheckpointAsync();
        var later = _world.Bundle(3);

        var report = Verify(bundle with { Checkpoint = later.Checkpoint });

        AssertFailed(report, "record.1.inclusion", "record 1: the proof is for tree size 2, the checkpoint's is 4");
        AssertFailed(report, "record.2.inclusion", "record 2: the proof is for tree size 2, the checkpoint's is 4");
        Assert.True(Check(report, "checkpoint.signature").Passed);
        Assert.True(Check(report, "checkpoint.timestamp").Passed);
    }

    [Fact]
    public async Task Verify_CheckpointWithAnotherRoot_SignatureFailsAndRecordsAreNotIncluded()
    {
        var bundle = await ExchangeBundleAsync();
        var original = Checkpoint.Parse(bundle.Checkpoint.Content.Span).Value!;
        var forged = (original with { RootHash = new MerkleHash(SHA256.HashData("other"u8)) }).Encode();

        var report = Verify(bundle with { Checkpoint = bundle.Checkpoint with { Content = forged } });

        AssertFailed(report, "checkpoint.signature", "checkpoint 2: the signature does not verify at ");
        AssertFailed(report, "record.1.inclusion", "record 1: Root mismatch");
        Assert.True(Check(report, "checkpoint.timestamp").Passed);
    }

    [Fact]
    public async Task Verify_CheckpointResignedByAnotherMember_SignatureFailsNamingTheMembers()
    {
        var bundle = await ExchangeBundleAsync();
        var signature = CmsDetachedSigner.Sign(bundle.Checkpoint.Content.Span, _world.OtherSigner, _world.Time.GetUtcNow(), [_world.Pki.IntermediateCertificate]);
        var token = _world.TimeStamp(SHA256.HashData(signature));

        var report = Verify(bundle with { Checkpoint = bundle.Checkpoint with { Signature = signature, TimeStampToken = token } });

        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal("checkpoint.signature", failed.Name);
        Assert.Equal(2, failed.Item);
        Assert.StartsWith("checkpoint 2: signed by member DEV/GOV/70000003 (certificate 'C=DEV, O=GOV, CN=70000003'), not by DEV/GOV/70000001, the owner of server DEV/GOV/70000001/ss1", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TimeStampOverAnotherHash_TimestampFailsNamingTheCheckpoint()
    {
        var bundle = await ExchangeBundleAsync();
        var token = _world.TimeStamp(SHA256.HashData("some other checkpoint signature"u8));

        var report = Verify(bundle with { Checkpoint = bundle.Checkpoint with { TimeStampToken = token } });

        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal("checkpoint.timestamp", failed.Name);
        Assert.Equal(2, failed.Item);
        Assert.StartsWith("checkpoint 2: the time-stamp over SHA-256 ", failed.Message, StringComparison.Ordinal);
        Assert.EndsWith("does not verify: time_stamp_hash_mismatch: time-stamp message imprint is not the expected hash", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OcspResponseForAnotherCertificate_OcspFailsNamingTheRecordAndCertificate()
    {
        var (request, response) = await _world.LogExchangeAsync(requestOcspFor: _world.ProviderSigner);
        await _world.CheckpointAsync();

        var report = Verify(_world.Bundle(request, response));

        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal("record.1.ocsp", failed.Name);
        Assert.Equal(1, failed.Item);
        Assert.StartsWith($"record 1: the OCSP response for 'C=DEV, O=ORG, CN=70000002' (serial {_world.ConsumerSigner.SerialNumber}): ", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RequestSignedByAnotherMember_SignatureFailsNamingTheMembers()
    {
        var (request, response) = await _world.LogExchangeAsync(requestSigner: _world.OtherSigner);
        await _world.CheckpointAsync();

        var report = Verify(_world.Bundle(request, response));

        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal("record.1.signature", failed.Name);
        Assert.Equal(
            "record 1: signed by member DEV/GOV/70000003 (certificate 'C=DEV, O=GOV, CN=70000003'), not by DEV/ORG/70000002, which signs a request of this exchange",
            failed.Message);
    }

    [Fact]
    public async Task Verify_SignatureOfAnotherMessageSwappedIn_SignatureFails()
    {
        var bundle = await ExchangeBundleAsync();
        var decoded = RecordDecoding.TryDecode(bundle.Records[0].Canonical.Span).Value.Record;
        var otherSignature = _world.Sign("{\"another\":\"head\"}"u8.ToArray(), _world.ConsumerSigner);
        var forged = decoded with { Signature = otherSignature };

        var report = Verify(Replace(bundle, 0, r => r with { Canonical = RecordEncoding.Canonical(1, forged) }));

        AssertFailed(report, "record.1.signature", "record 1: signedContent is not the batch root that the head and the batch path lead to");
        AssertFailed(report, "record.1.inclusion", "record 1: Root mismatch");
    }

    [Fact]
    public async Task Verify_WrongInclusionPath_InclusionFailsNamingTheRecord()
    {
        var bundle = await ExchangeBundleAsync();
        var path = bundle.Records[1].Inclusion.Path.ToArray();
        path[0] = new MerkleHash(SHA256.HashData("not the sibling"u8));

        var report = Verify(Replace(bundle, 1, r => r with { Inclusion = r.Inclusion with { Path = path } }));

        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal("record.2.inclusion", failed.Name);
        Assert.StartsWith("record 2: Root mismatch: the inclusion proof for leaf 1 in a tree of size 2 gives root ", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongLeafIndex_InclusionFails()
    {
        var bundle = await ExchangeBundleAsync();

        var report = Verify(Replace(bundle, 1, r => r with { Inclusion = r.Inclusion with { LeafIndex = 0 } }));

        AssertFailed(report, "record.2.inclusion", "record 2: the proof is for leaf 0; record 2 is leaf 1");
    }

    [Fact]
    public async Task Verify_ConfigurationNotSignedByTheAnchor_TrustFailsAndNothingIsTrusted()
    {
        var bundle = await ExchangeBundleAsync();
        using var rogue = EvidenceFederation.CreateConfigurationSigner("Rogue Central Server", _world.Time.GetUtcNow());
        var forged = SignedConfiguration.Sign(_world.SignedConfiguration.Content, rogue, _world.Configuration.GeneratedAt);

        var report = Verify(bundle with { Trust = bundle.Trust with { ConfigurationSignature = forged.Signature } });

        Assert.True(Check(report, "trust.anchor").Passed);
        AssertFailed(report, "trust.configuration", "the global configuration does not verify to the anchor (SHA-256 ");
        AssertFailed(report, "record.1.signature", "record 1: not verified: there is no trusted configuration with an approved CA");
        AssertFailed(report, "checkpoint.signature", "checkpoint 2: not verified: there is no trusted configuration");
        AssertFailed(report, "checkpoint.timestamp", "checkpoint 2: not verified: there is no trusted configuration");
        Assert.True(Check(report, "record.1.inclusion").Passed);
    }

    [Fact]
    public async Task Verify_AuditorAnchorDiffersFromTheBundles_AnchorFailsAndTheAuditorsIsUsed()
    {
        var bundle = await ExchangeBundleAsync();
        using var other = EvidenceFederation.CreateConfigurationSigner("Other Central Server", _world.Time.GetUtcNow());
        var auditorAnchor = ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create(EvidenceWorld.Instance, ["https://cs.dev.example/globalconf"], [other]));

        var report = EvidenceBundleVerifier.Verify(bundle, auditorAnchor, _world.Time);

        AssertFailed(report, "trust.anchor", $"the evidence's anchor (SHA-256 {ConfigurationAnchorSerializer.Sha256Hex(_world.AnchorBytes)}) is not the auditor's anchor (SHA-256 {ConfigurationAnchorSerializer.Sha256Hex(auditorAnchor)})");
        AssertFailed(report, "trust.configuration", "the global configuration does not verify to the anchor");
        Assert.False(report.Passed);
    }

    [Fact]
    public async Task Verify_SameAuditorAnchor_Passes()
    {
        var bundle = await ExchangeBundleAsync();

        var report = EvidenceBundleVerifier.Verify(bundle, _world.AnchorBytes, _world.Time);

        Assert.True(report.Passed, Describe(report));
    }

    [Fact]
    public async Task Verify_RecordsOfTwoExchanges_PairFails()
    {
        var first = await _world.LogExchangeAsync();
        var second = await _world.LogExchangeAsync();
        await _world.CheckpointAsync();

        var report = Verify(_world.Bundle(first.Request, second.Response));

        var failed = Assert.Single(report.Checks, c => !c.Passed);
        Assert.Equal("pair", failed.Name);
        Assert.StartsWith("records 1 and 4: their request ids differ", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WitnessStatementForTheCheckpoint_Passes()
    {
        var bundle = await ExchangeBundleAsync();
        var checkpoint = Checkpoint.Parse(bundle.Checkpoint.Content.Span).Value!;
        var statement = new WitnessStatement(EvidenceWorld.Instance, checkpoint.ServerId, checkpoint.TreeSize, checkpoint.RootHash, checkpoint.CreatedAt, _world.Time.GetUtcNow()).Encode();
        var signature = CmsDetachedSigner.Sign(statement, _world.ConfigurationSigner, _world.Time.GetUtcNow());

        var report = Verify(bundle with { Witness = new EvidenceWitness(statement, signature) });

        Assert.True(report.Passed, Describe(report));
        Assert.StartsWith("checkpoint 2: the Central Server ('CN=Test Central Server, O=ExchangeGateway Central Server') witnessed this checkpoint at ", Check(report, "witness").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WitnessStatementForAnotherRoot_WitnessFails()
    {
        var bundle = await ExchangeBundleAsync();
        var checkpoint = Checkpoint.Parse(bundle.Checkpoint.Content.Span).Value!;
        var other = new MerkleHash(SHA256.HashData("rewritten"u8));
        var statement = new WitnessStatement(EvidenceWorld.Instance, checkpoint.ServerId, checkpoint.TreeSize, other, checkpoint.CreatedAt, _world.Time.GetUtcNow()).Encode();
        var signature = CmsDetachedSigner.Sign(statement, _world.ConfigurationSigner, _world.Time.GetUtcNow());

        var report = Verify(bundle with { Witness = new EvidenceWitness(statement, signature) });

        AssertFailed(report, "witness", $"checkpoint 2: the statement is for DEV/GOV/70000001/ss1 tree size 2 root {other} in instance DEV, not for the bundle's checkpoint");
    }

    [Fact]
    public async Task Verify_WitnessStatementSignedByAMember_WitnessFails()
    {
        var bundle = await ExchangeBundleAsync();
        var checkpoint = Checkpoint.Parse(bundle.Checkpoint.Content.Span).Value!;
        var statement = new WitnessStatement(EvidenceWorld.Instance, checkpoint.ServerId, checkpoint.TreeSize, checkpoint.RootHash, checkpoint.CreatedAt, _world.Time.GetUtcNow()).Encode();
        var signature = CmsDetachedSigner.Sign(statement, _world.ProviderSigner, _world.Time.GetUtcNow(), [_world.Pki.IntermediateCertificate]);

        var report = Verify(bundle with { Witness = new EvidenceWitness(statement, signature) });

        AssertFailed(report, "witness", "checkpoint 2: the statement's signature does not verify to the anchor: untrusted_certificate");
    }

    [Fact]
    public async Task Verify_AfterSerializerRoundTrip_SameReport()
    {
        var bundle = await ExchangeBundleAsync();

        var read = EvidenceBundleSerializer.Read(EvidenceBundleSerializer.Write(bundle));

        Assert.True(read.Success, read.Message);
        Assert.Equal(Verify(bundle).Checks, Verify(read.Value!).Checks);
    }

    private async Task<EvidenceBundle> ExchangeBundleAsync()
    {
        var (request, response) = await _world.LogExchangeAsync();
        await _world.CheckpointAsync();
        var bundle = _world.Bundle(request, response);
        Assert.True(Verify(bundle).Passed);
        return bundle;
    }

    private EvidenceReport Verify(EvidenceBundle bundle) => EvidenceBundleVerifier.Verify(bundle, null, _world.Time);

    private static EvidenceBundle Replace(EvidenceBundle bundle, int index, Func<EvidenceRecord, EvidenceRecord> change) =>
        bundle with { Records = [.. bundle.Records.Select((r, i) => i == index ? change(r) : r)] };

    private static EvidenceCheck Check(EvidenceReport report, string name) => Assert.Single(report.Checks, c => c.Name == name);

    private static void AssertFailed(EvidenceReport report, string name, string messageStart)
    {
        var check = Check(report, name);
        Assert.False(check.Passed, $"{name} passed: {check.Message}");
        Assert.StartsWith(messageStart, check.Message, StringComparison.Ordinal);
    }

    private static string Describe(EvidenceReport report) =>
        string.Join('\n', report.Checks.Select(c => $"{(c.Passed ? "PASS" : "FAIL")} {c.Name}: {c.Message}"));
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

/// <summary>
/// An exported range verifies offline with nothing but the export (and optionally the auditor's anchor and
/// witness statements), and every tamper with a copy of it is reported with the first bad item named.
/// </summary>
public sealed class LogExportTests(ExportedLogFixture log) : IClassFixture<ExportedLogFixture>
{
    private static readonly string[] AllChecks =
    [
        "export.header", "trust.anchor", "trust.configuration", "trust.certificates",
        "checkpoint.from.content", "checkpoint.from.frontier", "checkpoint.from.signature", "checkpoint.from.timestamp",
        "checkpoint.to.content", "checkpoint.to.signature", "checkpoint.to.timestamp",
        "records.encoding", "records.body", "records.signature", "sequence", "root", "consistency", "witness.24", "witness.40", "end",
    ];

    [Fact]
    public void Verify_IntactExport_EveryCheckPasses()
    {
        var report = Verify(log.Lines());

        Assert.True(report.Passed, report.FirstFailure?.ToString());
        Assert.Equal(AllChecks, report.Checks.Select(c => c.Name));
        Assert.Equal("log export of DEV/GOV/70000001/ss1, records 11 to 40", report.Subject);
        Assert.Equal(30, log.Written.Records);
        Assert.Equal(log.Export.Length, log.Written.Bytes);
        Assert.Contains("all 30 records pass", report.Checks.Single(c => c.Name == "records.signature").Message, StringComparison.Ordinal);
        Assert.Contains("signed by DEV/GOV/70000001", report.Checks.Single(c => c.Name == "checkpoint.to.signature").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AuditorsOwnAnchor_Passes()
    {
        var report = Verify(log.Lines(), anchor: log.AnchorBytes);

        Assert.True(report.Passed, report.FirstFailure?.ToString());
        Assert.Contains("auditor's anchor", report.Checks[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AnotherFederationsAnchor_TrustAndEverySignatureFail()
    {
        using var other = EvidenceFederation.CreateConfigurationSigner("Other Central Server", log.Time.GetUtcNow());
        var anchor = EvidenceFederation.AnchorOf(other);

        var report = Verify(log.Lines(), anchor: anchor);

        Assert.Equal("trust.anchor", report.FirstFailure!.Name);
        Assert.False(Check(report, "checkpoint.to.signature").Passed);
        Assert.False(Check(report, "records.signature").Passed);
        Assert.False(Check(report, "witness.24").Passed);
        Assert.True(Check(report, "root").Passed);
    }

    [Fact]
    public async Task Write_FromTheEmptyTree_StartsAtRecordOneAndVerifies()
    {
        using var output = new MemoryStream();
        var written = await LogExportWriter.WriteAsync(log.DatabasePath, 0, 24, log.Trust, [log.Witnesses[0]], output, new LogExportWriterOptions { Time = log.Time });

        Assert.True(written.IsSuccess, written.ToString());
        Assert.Equal(24, written.Records);
        output.Position = 0;
        var report = LogExportVerifier.Verify(output, null, [], new LogExportVerifierOptions { Time = log.Time });
        Assert.True(report.Passed, report.FirstFailure?.ToString());
        Assert.DoesNotContain(report.Checks, c => c.Name == "checkpoint.from.signature");
        Assert.Contains("the empty tree", Check(report, "checkpoint.from.content").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Export_HoldsTheStoredCheckpointsAndCanonicalRecords()
    {
        using var reader = new LogExportReader(new MemoryStream(log.Export));
        var header = reader.ReadHeader();
        Assert.True(header.Success, header.Message);
        Assert.Equal("DEV/GOV/70000001/ss1", header.Value.Server);
        Assert.Equal(10, header.Value.From.TreeSize);
        Assert.Equal(40, header.Value.To.TreeSize);
        Assert.Equal(2, header.Value.From.Frontier!.Count); // 10 = 8 + 2
        Assert.Null(header.Value.To.Frontier);
        Assert.NotNull(header.Value.To.TimeStampToken);
        Assert.Equal(2, header.Value.Witnesses.Count);
        using (var proofs = ExchangeGateway.MessageLog.Storage.MessageLogProofs.Open(log.DatabasePath, TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(proofs.ConsistencyProof(10, 40).Value!.Proof, header.Value.Consistency);
        }


        var parsed = Checkpoint.Parse(header.Value.To.Content!.Value.Span);
        Assert.Equal(40, parsed.Value!.TreeSize);
        for (long sequence = 11; sequence <= 40; sequence++)
        {
            var item = reader.ReadItem();
            Assert.True(item.Success, item.Message);
            Assert.Equal(LogExportItemKind.Record, item.Value.Kind);
            Assert.Equal(sequence, item.Value.Record!.Sequence);
            Assert.Equal(EvidenceBodyState.Present, item.Value.Record.BodyState);
            var decoded = RecordDecoding.TryDecode(item.Value.Record.Canonical.Span);
            Assert.True(decoded.Success, decoded.Message);
            Assert.Equal(sequence, decoded.Value.Sequence);
            Assert.Equal(SHA512.HashData(item.Value.Record.Body!.Value.Span), decoded.Value.Record.BodyDigest.ToArray());
        }

        var end = reader.ReadItem();
        Assert.Equal(LogExportItemKind.End, end.Value!.Kind);
        Assert.Equal(30, end.Value.EndRecords);
        Assert.Equal(LogExportItemKind.EndOfFile, reader.ReadItem().Value!.Kind);
    }

    [Fact]
    public void Verify_FlippedBodyByte_NamesTheRecord()
    {
        var lines = log.Lines();
        Edit(lines, 17, r =>
        {
            var body = Convert.FromBase64String(r["body"]!.GetValue<string>());
            body[10] ^= 0x01;
            r["body"] = Convert.ToBase64String(body);
        });

        var report = Verify(lines);

        AssertFirstFailure(report, "record.17.body", 17);
        Assert.True(Check(report, "root").Passed);
        Assert.Contains("1 of 30 record(s) fail; the first is record 17", Check(report, "records.body").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ChangedHeadField_NamesTheRecord()
    {
        var lines = log.Lines();
        EditRecord(lines, 13, r => r with { Head = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(r.Head.Span).Replace("\"target\":\"/echo\"", "\"target\":\"/admin\"", StringComparison.Ordinal)) });

        var report = Verify(lines);

        AssertFirstFailure(report, "record.13.signature", 13);
        Assert.Contains("does not verify", report.FirstFailure!.Message, StringComparison.Ordinal);
        Assert.False(Check(report, "root").Passed);
    }

    [Fact]
    public void Verify_ChangedMessageIdInTheRecord_NamesTheRecord()
    {
        var lines = log.Lines();
        EditRecord(lines, 22, r => r with { MessageId = "msg-forged" });

        var report = Verify(lines);

        AssertFirstFailure(report, "record.22.signature", 22);
        Assert.StartsWith("record 22: the signed head's message id '", report.FirstFailure!.Message, StringComparison.Ordinal);
        Assert.EndsWith("' is not the record's 'msg-forged'", report.FirstFailure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ResponseSignedByAnotherMember_NamesTheRecord()
    {
        // Record 35 is a response: the provider must have signed it; here the consumer did, over the same head.
        var lines = log.Lines();
        EditRecord(lines, 35, r =>
        {
            Assert.Equal(RecordKind.Response, r.Kind);
            var digest = (ReadOnlyMemory<byte>)RequestHash.SigningDigest(r.Head.Span);
            var signed = BatchSigner.Sign([digest], content => CmsDetachedSigner.Sign(content, log.Logs.ConsumerSigner, log.Time.GetUtcNow(), [log.Logs.Context.Pki.IntermediateCertificate]));
            return r with { Signature = BatchSignatureEncoding.Encode(signed[0]) };
        });

        var report = Verify(lines);

        AssertFirstFailure(report, "record.35.signature", 35);
        Assert.Contains("not by DEV/GOV/70000001", report.FirstFailure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DeletedMiddleRecord_NamesTheFirstMissingSequence()
    {
        var lines = log.Lines();
        lines.RemoveAt(20 - 10);

        var report = Verify(lines);

        AssertFirstFailure(report, "sequence", 20);
        Assert.Contains("record 20 is missing", report.FirstFailure!.Message, StringComparison.Ordinal);
        Assert.False(Check(report, "root").Passed);
        Assert.False(Check(report, "end").Passed);
    }

    [Fact]
    public void Verify_TwoRecordsSwapped_NamesTheFirst()
    {
        var lines = log.Lines();
        (lines[25 - 10], lines[26 - 10]) = (lines[26 - 10], lines[25 - 10]);

        var report = Verify(lines);

        AssertFirstFailure(report, "sequence", 25);
        Assert.False(Check(report, "root").Passed);
        Assert.True(Check(report, "records.signature").Passed);
    }

    [Fact]
    public void Verify_TailCutAtALineBoundary_NamesTheFirstMissingSequence()
    {
        var lines = log.Lines();
        lines.RemoveRange(38 - 10, lines.Count - (38 - 10));

        var report = Verify(lines);

        AssertFirstFailure(report, "sequence", 38);
        Assert.Contains("records 38 to 40 are missing", report.FirstFailure!.Message, StringComparison.Ordinal);
        var end = Check(report, "end");
        Assert.False(end.Passed);
        Assert.Equal(38, end.Item);
    }

    [Fact]
    public void Verify_TailCutInsideARecord_NamesThatRecord()
    {
        var text = Encoding.UTF8.GetBytes(string.Join('\n', log.Lines()) + "\n");
        var start = IndexOfLine(text, 33 - 10);
        using var cut = new MemoryStream(text[..(start + 100)]);

        var report = LogExportVerifier.Verify(cut, null, log.Witnesses, new LogExportVerifierOptions { Time = log.Time });

        AssertFirstFailure(report, "record.33.encoding", 33);
        Assert.Contains("does not end in LF", report.FirstFailure!.Message, StringComparison.Ordinal);
        Assert.False(Check(report, "end").Passed);
    }

    [Fact]
    public void Verify_OnlyTheEndLineMissing_EndFails()
    {
        var lines = log.Lines();
        lines.RemoveAt(lines.Count - 1);

        var report = Verify(lines);

        AssertFirstFailure(report, "end", null);
        Assert.True(Check(report, "sequence").Passed);
        Assert.True(Check(report, "root").Passed);
    }

    [Fact]
    public void Verify_ReplacedCheckpointContent_NamesItsTreeSize()
    {
        // A rewritten log with a new root for checkpoint 40, keeping the old signature and token.
        var lines = log.Lines();
        EditHeader(lines, h =>
        {
            var content = Checkpoint.Parse(Convert.FromBase64String(h["to"]!["content"]!.GetValue<string>())).Value!;
            var forged = content with { RootHash = MerkleHasher.HashLeaf("forged"u8) };
            h["to"]!["content"] = Convert.ToBase64String(forged.Encode());
        });

        var report = Verify(lines);

        AssertFirstFailure(report, "checkpoint.to.signature", 40);
        Assert.False(Check(report, "root").Passed);
    }

    [Fact]
    public void Verify_CheckpointResignedByAnotherMember_NamesItsTreeSize()
    {
        var lines = log.Lines();
        EditHeader(lines, h =>
        {
            var content = Convert.FromBase64String(h["to"]!["content"]!.GetValue<string>());
            h["to"]!["signature"] = Convert.ToBase64String(CmsDetachedSigner.Sign(content, log.Logs.ConsumerSigner, log.Time.GetUtcNow(), [log.Logs.Context.Pki.IntermediateCertificate]));
        });

        var report = Verify(lines);

        // The token covers the old signature, so the stamp fails too; the signer check names the wrong owner.
        var signature = Check(report, "checkpoint.to.signature");
        Assert.False(signature.Passed);
        Assert.Equal(40, signature.Item);
        Assert.Contains("not by the owner DEV/GOV/70000001", signature.Message, StringComparison.Ordinal);
        Assert.False(Check(report, "checkpoint.to.timestamp").Passed);
    }

    [Fact]
    public void Verify_TimeStampOfAnotherCheckpoint_NamesItsTreeSize()
    {
        var lines = log.Lines();
        EditHeader(lines, h => h["to"]!["timeStampToken"] = h["from"]!["timeStampToken"]!.GetValue<string>());

        var report = Verify(lines);

        AssertFirstFailure(report, "checkpoint.to.timestamp", 40);
        Assert.Contains("time_stamp_hash_mismatch", report.FirstFailure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WitnessOfADifferentRoot_NamesTheWitnessedSize()
    {
        var forged = log.Logs.Witness(log.Provider, 24, MerkleHasher.HashLeaf("another history"u8));

        var report = Verify(log.Lines(), witnesses: [forged]);

        var witness = report.Checks.Where(c => c.Name == "witness.24").ToList();
        Assert.Equal(2, witness.Count);
        Assert.True(witness[0].Passed);
        Assert.False(witness[1].Passed);
        Assert.Equal(24, witness[1].Item);
        Assert.Contains("the log was rewritten", witness[1].Message, StringComparison.Ordinal);
        Assert.Equal(witness[1], report.FirstFailure);
    }

    [Fact]
    public void Verify_WitnessSignedByAKeyTheAnchorDoesNotPin_Fails()
    {
        using var rogue = EvidenceFederation.CreateConfigurationSigner("Rogue Central Server", log.Time.GetUtcNow());
        var forged = log.Logs.Witness(log.Provider, 24, signer: rogue);

        var report = Verify(log.Lines(), witnesses: [forged]);

        AssertFirstFailure(report, "witness.24", 24);
        Assert.Contains("signature does not verify", report.FirstFailure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WitnessOfCheckpointAWithADifferentRoot_NamesItsSize()
    {
        var report = Verify(log.Lines(), witnesses: [log.Logs.Witness(log.Provider, 10, MerkleHasher.HashLeaf("x"u8))]);

        AssertFirstFailure(report, "witness.10", 10);
    }

    [Fact]
    public void Verify_WitnessBeyondTheRange_PassesWithoutComparingItsRoot()
    {
        var now = log.Time.GetUtcNow();
        var statement = new WitnessStatement(EvidenceFederation.Instance, ExchangeLogs.ProviderServer, 50, MerkleHasher.HashLeaf("later"u8), now, now).Encode();
        var signature = CmsDetachedSigner.Sign(statement, log.Logs.Trust.ConfigurationSigner, now);

        var report = Verify(log.Lines(), witnesses: [(statement, signature)]);

        Assert.True(report.Passed, report.FirstFailure?.ToString());
        Assert.Contains("outside the exported range 10 to 40: its root is not compared", Check(report, "witness.50").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WitnessOfAnotherServer_Fails()
    {
        var now = log.Time.GetUtcNow();
        var statement = new WitnessStatement(EvidenceFederation.Instance, ExchangeLogs.ConsumerServer, 24, MerkleHasher.HashLeaf("x"u8), now, now).Encode();
        var signature = CmsDetachedSigner.Sign(statement, log.Logs.Trust.ConfigurationSigner, now);

        var report = Verify(log.Lines(), witnesses: [(statement, signature)]);

        AssertFirstFailure(report, "witness.24", 24);
        Assert.Contains("is about server DEV/ORG/70000002/ss2", report.FirstFailure!.Message, StringComparison.Ordinal);
    }

    private EvidenceReport Verify(List<string> lines, byte[]? anchor = null, IReadOnlyList<(ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)>? witnesses = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        return LogExportVerifier.Verify(stream, anchor is null ? (ReadOnlyMemory<byte>?)null : anchor, witnesses ?? [], new LogExportVerifierOptions { Time = log.Time });
    }

    private static EvidenceCheck Check(EvidenceReport report, string name) => report.Checks.Single(c => c.Name == name);

    private static void AssertFirstFailure(EvidenceReport report, string name, long? item)
    {
        Assert.False(report.Passed);
        var first = report.FirstFailure!;
        Assert.True(first.Name == name, $"first failure is {first}");
        Assert.Equal(item, first.Item);
    }

    private static void Edit(List<string> lines, long sequence, Action<JsonObject> change)
    {
        var index = (int)(sequence - 10);
        var node = JsonNode.Parse(lines[index])!.AsObject();
        Assert.Equal(sequence, node["sequence"]!.GetValue<long>());
        change(node);
        lines[index] = node.ToJsonString();
    }

    private static void EditRecord(List<string> lines, long sequence, Func<MessageRecord, MessageRecord> change) => Edit(lines, sequence, r =>
    {
        var record = RecordDecoding.TryDecode(Convert.FromBase64String(r["canonical"]!.GetValue<string>())).Value.Record;
        r["canonical"] = Convert.ToBase64String(RecordEncoding.Canonical(sequence, change(record)));
    });

    private static void EditHeader(List<string> lines, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(lines[0])!.AsObject();
        change(node);
        lines[0] = node.ToJsonString();
    }

    private static int IndexOfLine(byte[] text, int line)
    {
        var at = 0;
        for (var i = 0; i < line; i++)
        {
            at = Array.IndexOf(text, (byte)'\n', at) + 1;
        }

        return at;
    }
}

using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Archiving;

/// <summary>
/// Tampering with archives (issue #7, RELIABILITY.md row 39 for archives): each change is found by the
/// offline <see cref="ArchiveVerifier"/> and by the log verifier, naming the first bad archive and record.
/// Records 1–40 are in four archives of ten.
/// </summary>
public sealed class ArchiveTamperingTests : IAsyncLifetime
{
    private ArchiveLog _log = null!;

    public async Task InitializeAsync()
    {
        _log = await ArchiveLog.CreateAsync();
        await _log.AppendAsync(40);
        await _log.CheckpointAsync();
        _log.Context.Time.Advance(TimeSpan.FromDays(2));
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1), MaxRecordsPerArchive = 10 });
        var result = await archiver.RunOnceAsync(CancellationToken.None);
        Assert.Equal(4, result.Archives.Count);
        var intact = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions());
        Assert.True(intact.IsValid, intact.ToString());
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public void Verify_FlippedByteInARecord_LeafMismatchNamingArchiveAndRecord()
    {
        // The last canonical byte is the body length's low byte: the record still decodes, its leaf changes.
        ChangeRecords(2, (records, offsets) => records[offsets[16].Canonical + _log.ExpectedCanonicalLength(16) - 1] ^= 0x01);

        AssertArchiveFailure(ArchiveVerificationFailure.LeafMismatch, 2, 16);
        AssertLogFailure(LogVerificationFailure.ArchiveInvalid, 2, 16);
        Assert.Equal(RecordReadFailure.ArchiveInvalid, _log.Store.Read(16).Failure);
        Assert.True(_log.Store.Read(15).IsSuccess);
    }

    [Fact]
    public void Verify_FlippedByteInABody_BodyDigestMismatchNamingArchiveAndRecord()
    {
        ChangeRecords(2, (records, offsets) => records[offsets[17].Body + 100] ^= 0x01);

        AssertArchiveFailure(ArchiveVerificationFailure.BodyDigestMismatch, 2, 17);
        AssertLogFailure(LogVerificationFailure.ArchiveInvalid, 2, 17);
        var read = _log.Store.Read(17);
        Assert.Equal(RecordReadFailure.ArchiveInvalid, read.Failure);
        Assert.Contains("does not match the record's SHA-512 digest", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_FlippedByteInAManifest_SignatureInvalidNamingTheArchive()
    {
        ArchiveLog.ChangePart(_log.ArchivePath(3), "manifest.txt", manifest =>
        {
            var index = Encoding.ASCII.GetString(manifest).IndexOf("\ncreated 2026-03-03T12:00:01", StringComparison.Ordinal) + "\ncreated 2026-03-03T12:00:0".Length;
            manifest[index] ^= 0x01; // …:01 → …:00: still a well-formed manifest
            return manifest;
        });

        AssertArchiveFailure(ArchiveVerificationFailure.SignatureInvalid, 3, null);
        var integrityOnly = ArchiveVerifier.Verify(_log.ArchiveDirectory, new ArchiveVerifierOptions());
        Assert.Equal((ArchiveVerificationFailure.SignatureInvalid, 3L), (integrityOnly.Failure, integrityOnly.ArchiveId));
        AssertLogFailure(LogVerificationFailure.ArchiveInvalid, 3, null);
    }

    [Fact]
    public void Verify_MiddleArchiveDeleted_ChainBrokenNamingTheMissingArchive()
    {
        File.Delete(_log.ArchivePath(2));

        var result = AssertArchiveFailure(ArchiveVerificationFailure.ChainBroken, 2, null);
        Assert.Equal("archive 2 is missing: archive 3 follows archive 1", result.Message);
        AssertLogFailure(LogVerificationFailure.ArchiveMismatch, 2, null);
        Assert.Equal(RecordReadFailure.ArchiveUnavailable, _log.Store.Read(12).Failure);
    }

    [Fact]
    public void Verify_ArchiveSignedByAnotherMember_WrongSignerNamingTheArchive()
    {
        // Same manifest (so the chain still links), signed by another member's valid signing certificate.
        using var other = _log.Context.Pki.IssueSigning("DEV", "GOV", "70000009");
        var parts = ArchiveLog.ReadParts(_log.ArchivePath(2));
        var manifest = parts.Single(p => p.Name == "manifest.txt").Data;
        var forged = CmsDetachedSigner.Sign(manifest, other, _log.Context.Time.GetUtcNow(), [_log.Context.Pki.IntermediateCertificate]);
        ArchiveLog.WriteParts(_log.ArchivePath(2), parts.Select(p => p.Name == "manifest.p7s" ? (p.Name, forged) : p));

        var result = AssertArchiveFailure(ArchiveVerificationFailure.WrongSigner, 2, null);
        Assert.Contains("signed by member DEV/GOV/70000009", result.Message, StringComparison.Ordinal);
        Assert.Contains("not by DEV/GOV/70000001", result.Message, StringComparison.Ordinal);
        AssertLogFailure(LogVerificationFailure.ArchiveInvalid, 2, null);
    }

    [Fact]
    public async Task Verify_ArchiveRewrittenAndResignedByTheOwner_ChainBrokenAtTheNextArchive()
    {
        // Even the owner's key cannot rewrite history: the next archive names the old manifest's hash.
        var parts = ArchiveLog.ReadParts(_log.ArchivePath(2));
        var manifest = Encoding.ASCII.GetString(parts.Single(p => p.Name == "manifest.txt").Data).Replace("T12:00:01.000000Z", "T12:00:02.000000Z", StringComparison.Ordinal);
        var bytes = Encoding.ASCII.GetBytes(manifest);
        var signature = await _log.Context.SignAsync(bytes, CancellationToken.None);
        ArchiveLog.WriteParts(_log.ArchivePath(2), parts.Select(p => p.Name switch
        {
            "manifest.txt" => (p.Name, bytes),
            "manifest.p7s" => (p.Name, signature),
            _ => p,
        }));

        var result = AssertArchiveFailure(ArchiveVerificationFailure.ChainBroken, 3, null);
        Assert.Equal("archive 3's previous-manifest hash is not the SHA-256 of archive 2's manifest", result.Message);
        AssertLogFailure(LogVerificationFailure.ArchiveMismatch, 2, null); // against the database, archive 2's own hash is already wrong
    }

    [Fact]
    public void Verify_TruncatedArchive_MalformedRecordNamingArchiveAndRecord()
    {
        // Cut inside record 36's entry: ustar puts each part after a 512-byte header, padded to 512 bytes.
        var path = _log.ArchivePath(4);
        var parts = ArchiveLog.ReadParts(path);
        var recordsStart = parts.TakeWhile(p => p.Name != "records.bin").Sum(p => 512 + ((p.Data.Length + 511) / 512 * 512)) + 512;
        var cut = recordsStart + ArchiveLog.Offsets(parts.Single(p => p.Name == "records.bin").Data)[36].Canonical + 10;
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..cut]);

        AssertArchiveFailure(ArchiveVerificationFailure.MalformedRecord, 4, 36);
        AssertLogFailure(LogVerificationFailure.ArchiveInvalid, 4, 36);
    }

    [Fact]
    public void Verify_ArchivedRowsLiveMetadataChanged_ArchiveMismatchNamingTheRecord()
    {
        // Search reads the live metadata of archived rows: the archive check proves it unchanged.
        Execute("UPDATE record SET client_id = 'DEV/ORG/99999999/mallory' WHERE seq = 25;");

        AssertLogFailure(LogVerificationFailure.ArchiveMismatch, 3, 25);
        var verified = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory });
        Assert.Contains("live metadata differ from the archived record", verified.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ArchivedRowsLeafChanged_ArchiveMismatchNamingTheRecord()
    {
        Execute($"UPDATE record SET leaf_hash = x'{Convert.ToHexStringLower(SHA256.HashData("forged"u8))}' WHERE seq = 31;");

        AssertLogFailure(LogVerificationFailure.ArchiveMismatch, 4, 31);
        // Without the archives, the signed root still catches it.
        var leafOnly = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions());
        Assert.Equal((LogVerificationFailure.RootMismatch, 40L), (leafOnly.Failure, leafOnly.CheckpointTreeSize));
    }

    [Fact]
    public void Verify_ArchiveTableChainChanged_ArchiveMismatchNamingTheArchive()
    {
        Execute($"UPDATE archive SET previous_sha256 = x'{Convert.ToHexStringLower(new byte[32])}' WHERE id = 3;");

        var verified = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions());
        Assert.Equal((LogVerificationFailure.ArchiveMismatch, 3L), (verified.Failure, verified.ArchiveId));
    }

    private ArchiveVerificationResult AssertArchiveFailure(ArchiveVerificationFailure failure, long archive, long? sequence)
    {
        var result = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions());
        Assert.False(result.IsValid);
        Assert.True(failure == result.Failure, result.ToString());
        Assert.Equal(archive, result.ArchiveId);
        Assert.Equal(sequence, result.Sequence);
        Assert.False(string.IsNullOrEmpty(result.Message));
        return result;
    }

    private void AssertLogFailure(LogVerificationFailure failure, long archive, long? sequence)
    {
        var result = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory });
        Assert.False(result.IsValid);
        Assert.True(failure == result.Failure, result.ToString());
        Assert.Equal(archive, result.ArchiveId);
        Assert.Equal(sequence, result.Sequence);
    }

    private void ChangeRecords(long archive, Action<byte[], Dictionary<long, (int Canonical, int Body)>> change) =>
        ArchiveLog.ChangePart(_log.ArchivePath(archive), "records.bin", records =>
        {
            change(records, ArchiveLog.Offsets(records));
            return records;
        });

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_log.Context.DatabasePath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }
}

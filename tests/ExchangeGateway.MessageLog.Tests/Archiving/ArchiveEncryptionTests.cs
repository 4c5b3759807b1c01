using ExchangeGateway.MessageLog.Evidence;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.MessageLog.Tests.Archiving;

/// <summary>
/// Archives are standard parts an auditor checks with tar, sha256 and OpenSSL alone; encrypted bodies
/// unwrap with <c>openssl cms -decrypt</c> and read back through the store with the recipient's key.
/// </summary>
public sealed class ArchiveEncryptionTests : IAsyncLifetime, IDisposable
{
    private readonly X509Certificate2 _recipient = ArchiveLog.RecipientCertificate();
    private readonly TempDirectory _work = new();
    private ArchiveLog _log = null!;

    public async Task InitializeAsync()
    {
        _log = await ArchiveLog.CreateAsync();
        await _log.AppendAsync(20);
        await _log.CheckpointAsync();
        _log.Context.Time.Advance(TimeSpan.FromDays(2));
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    public void Dispose()
    {
        _recipient.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task Archive_Plain_TarShaAndOpenSslCmsVerifyItsParts()
    {
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1) });
        Assert.True((await archiver.RunOnceAsync(CancellationToken.None)).IsSuccess);

        await ExtractAsync(_log.ArchivePath(1));
        _log.Context.Pki.WritePemFiles(_work.Path);
        var verify = await OpenSsl.RunAsync(_work.Path, "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.p7s", "-content", "manifest.txt", "-CAfile", "chain.pem", "-purpose", "any", "-no_check_time", "-out", "/dev/null");
        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("Verification successful", verify.Output, StringComparison.Ordinal);

        var manifest = await File.ReadAllTextAsync(_work.File("manifest.txt"));
        var recordsSha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(_work.File("records.bin"))));
        Assert.Equal(
            $"xgw-message-log-archive/v1\nserver DEV/GOV/70000001/ss1\narchive 1\nfirst 1\nlast 20\ncreated 2026-03-03T12:00:01.000000Z\nrecords-sha256 {recordsSha256}\nprevious-sha256 none\nencryption none\nkey-sha256 none\n",
            manifest);
        Assert.False(File.Exists(_work.File("key.p7m")));

        // A changed manifest no longer verifies, for OpenSSL too.
        await File.WriteAllTextAsync(_work.File("manifest.txt"), manifest.Replace("last 20", "last 19", StringComparison.Ordinal));
        var tampered = await OpenSsl.RunAsync(_work.Path, "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.p7s", "-content", "manifest.txt", "-CAfile", "chain.pem", "-purpose", "any", "-no_check_time", "-out", "/dev/null");
        Assert.NotEqual(0, tampered.ExitCode);
    }

    [Fact]
    public async Task Archive_Encrypted_OpenSslUnwrapsTheKeyAndItDecryptsTheBodies()
    {
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1), EncryptionCertificates = [X509CertificateLoader.LoadCertificate(_recipient.RawData)] });
        var result = await archiver.RunOnceAsync(CancellationToken.None);
        Assert.True(result.IsSuccess, result.Failure);
        Assert.True(Assert.Single(result.Archives).Encrypted);

        await ExtractAsync(_log.ArchivePath(1));
        TestPki.WriteCertificateAndKey(_recipient, _work.File("escrow"));
        var unwrap = await OpenSsl.RunAsync(_work.Path, "cms", "-decrypt", "-inform", "DER", "-in", "key.p7m", "-recip", "escrow.pem", "-inkey", "escrow.key", "-out", "key.bin");
        Assert.True(unwrap.ExitCode == 0, unwrap.Output);
        var key = await File.ReadAllBytesAsync(_work.File("key.bin"));
        Assert.Equal(32, key.Length);
        var manifest = await File.ReadAllTextAsync(_work.File("manifest.txt"));
        Assert.Contains("\nencryption aes-256-gcm\n", manifest, StringComparison.Ordinal);
        Assert.Contains($"\nkey-sha256 {Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(_work.File("key.p7m"))))}\n", manifest, StringComparison.Ordinal);

        // The documented layout, decrypted with nothing but the unwrapped key: nonce = 4 zero bytes ‖ u64
        // sequence, associated data = the record's leaf hash; plaintext = the body that was logged.
        var records = await File.ReadAllBytesAsync(_work.File("records.bin"));
        var offsets = ArchiveLog.Offsets(records);
        using var aes = new AesGcm(key, 16);
        var decrypted = 0;
        foreach (var (sequence, at) in offsets.Where(o => o.Value.Body >= 0))
        {
            var body = _log.Written[sequence].Body!.Value.ToArray();
            var nonce = new byte[12];
            BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(4), sequence);
            var plain = new byte[body.Length];
            aes.Decrypt(nonce, records.AsSpan(at.Body, body.Length), records.AsSpan(at.Body + body.Length, 16), plain, _log.Leaves[sequence].AsSpan());
            Assert.Equal(body, plain);
            Assert.False(records.AsSpan(at.Body, body.Length).SequenceEqual(body));
            decrypted++;
        }

        Assert.Equal(16, decrypted); // 20 records, of which 5, 10, 15 and 20 have no logged body
    }

    [Fact]
    public async Task Export_EncryptedArchiveWithoutTheKey_StatesSealedBodiesAndCarriesNone()
    {
        using (var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1), EncryptionCertificates = [_recipient] }))
        {
            Assert.True((await archiver.RunOnceAsync(CancellationToken.None)).IsSuccess);
        }

        // The writer only copies the trust material into the header; nothing here verifies it.
        var trust = new EvidenceTrust(new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 }, [], []);
        using var output = new MemoryStream();
        var written = await LogExportWriter.WriteAsync(
            _log.Store.DatabasePath, 0, 20, trust, [], output, new LogExportWriterOptions { Time = _log.Context.Time, Proofs = _log.Store.Proofs, ArchivedRecord = s => _log.Store.Read(s).Record });

        Assert.True(written.IsSuccess, written.ToString());
        var states = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..^1]
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Select(e => (e.GetProperty("sequence").GetInt64(), e.GetProperty("bodyState").GetString(), e.TryGetProperty("body", out _)))
            .ToList();
        Assert.Equal(20, states.Count);
        Assert.All(states, s => Assert.Equal((s.Item1 % 5 == 0 ? "not-logged" : "sealed", false), (s.Item2, s.Item3)));
    }

    [Fact]
    public async Task Read_EncryptedArchive_BodyOnlyWithTheRecipientsKey()
    {
        using (var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1), EncryptionCertificates = [_recipient] }))
        {
            Assert.True((await archiver.RunOnceAsync(CancellationToken.None)).IsSuccess);
        }

        var sealedRead = _log.Store.Read(3).Record!;
        Assert.Equal(RecordBodyState.Encrypted, sealedRead.BodyState);
        Assert.Null(sealedRead.Logged.Record.Body);
        Assert.Equal(RecordEncoding.Canonical(3, _log.Expected(3)), RecordEncoding.Canonical(3, sealedRead.Logged.Record));
        Assert.Equal(RecordBodyState.NotLogged, _log.Store.Read(5).Record!.BodyState);

        using var stranger = ArchiveLog.RecipientCertificate("Someone Else");
        await _log.Store.DisposeAsync();
        _log.Open(o => o with { ArchiveDecryptionCertificates = [stranger] });
        Assert.Equal(RecordBodyState.Encrypted, _log.Store.Read(3).Record!.BodyState);

        await _log.Store.DisposeAsync();
        _log.Open(o => o with { ArchiveDecryptionCertificates = [_recipient] });
        for (long sequence = 1; sequence <= 20; sequence++)
        {
            var read = _log.Store.Read(sequence).Record!;
            Assert.Equal(sequence % 5 == 0 ? RecordBodyState.NotLogged : RecordBodyState.Present, read.BodyState);
            Assert.Equal(_log.Written[sequence].Body?.ToArray(), read.Logged.Record.Body?.ToArray());
        }

        var withKey = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions([_recipient]));
        Assert.True(withKey.IsValid, withKey.ToString());
        Assert.Equal(0, withKey.SealedBodies);
        var withoutKey = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions());
        Assert.True(withoutKey.IsValid, withoutKey.ToString());
        Assert.Equal(16, withoutKey.SealedBodies);
        var wrongKey = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions([stranger]));
        Assert.Equal((ArchiveVerificationFailure.KeyInvalid, 1L), (wrongKey.Failure, wrongKey.ArchiveId));
        var log = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory, ArchiveDecryptionCertificates = [_recipient] });
        Assert.True(log.IsValid, log.ToString());
    }

    [Fact]
    public async Task Verify_FlippedEncryptedBodyByte_TagFailsNamingTheRecordWithTheKeyAndTheHashWithout()
    {
        using (var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1), EncryptionCertificates = [_recipient] }))
        {
            Assert.True((await archiver.RunOnceAsync(CancellationToken.None)).IsSuccess);
        }

        ArchiveLog.ChangePart(_log.ArchivePath(1), "records.bin", records =>
        {
            records[ArchiveLog.Offsets(records)[7].Body + 3] ^= 0x01;
            return records;
        });

        var withKey = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions([_recipient]));
        Assert.Equal((ArchiveVerificationFailure.BodyDigestMismatch, 1L, 7L), (withKey.Failure, withKey.ArchiveId, withKey.Sequence));
        Assert.Contains("authentication tag", withKey.Message, StringComparison.Ordinal);
        var withoutKey = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions());
        Assert.Equal((ArchiveVerificationFailure.RecordsHashMismatch, 1L, (long?)null), (withoutKey.Failure, withoutKey.ArchiveId, withoutKey.Sequence));
    }

    // The archive is a plain ustar file: the system's tar takes it apart.
    private async Task ExtractAsync(string archive)
    {
        var start = new ProcessStartInfo("tar", ["-xf", archive, "-C", _work.Path]) { RedirectStandardError = true, UseShellExecute = false };
        using var tar = Process.Start(start)!;
        var error = await tar.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tar.WaitForExitAsync(timeout.Token);
        Assert.True(tar.ExitCode == 0, error);
        Assert.Equal(Encoding.ASCII.GetBytes("xgw-archive-records/v1\n"), (await File.ReadAllBytesAsync(Path.Combine(_work.Path, "records.bin")))[..23]);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// Verifies a directory of message-log archives offline, with no database, and names the first bad
/// archive and record. Reads only; stateless; the same code runs inside the message-log verifier.
/// </summary>
/// <remarks>
/// Archives are taken in id order from 1 (<c>xgw-archive-&lt;id&gt;.xgwa</c>; other files are ignored). For
/// each: the container's parts; the manifest parses; its detached CMS signature verifies over the manifest
/// bytes (to the trust anchors when given) and the signer's member owns the server the manifest names; the
/// chain: no id is missing, the previous-manifest hash is the SHA-256 of the previous manifest, records
/// continue where the previous archive ended (archive 1 starts at record 1), every archive names the same
/// server; the wrapped key matches the manifest; then every record: framing, sequence, canonical bytes
/// that decode and hash to the entry's leaf, a body that hashes to the record's digest (an encrypted one
/// after its GCM tag verifies, when a decryption certificate is given); finally the records part's SHA-256.
/// </remarks>
public static class ArchiveVerifier
{
    /// <summary>Verifies the archives in <paramref name="directory"/>.</summary>
    public static ArchiveVerificationResult Verify(string directory, ArchiveVerifierOptions options) => VerifyWithLog(directory, options, null);

    internal static ArchiveVerificationResult VerifyWithLog(string directory, ArchiveVerifierOptions options, ArchiveLogHooks? hooks)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        var run = new Run(options, hooks);
        return run.Execute(directory);
    }

    private sealed class Run(ArchiveVerifierOptions options, ArchiveLogHooks? hooks)
    {
        private readonly CmsSignatureVerifier? _signatures = options.SigningAnchors is { Count: > 0 } anchors
            ? new CmsSignatureVerifier(new CertificateValidator(anchors, options.SigningIntermediates, options.ClockSkew))
            : null;

        private long _archives;
        private long _records;
        private long _lastSequence;
        private long _sealed;

        public ArchiveVerificationResult Execute(string directory)
        {
            List<(long Id, string Name)> files;
            try
            {
                files = [.. Directory.EnumerateFiles(directory)
                    .Select(Path.GetFileName)
                    .Select(name => (Id: ArchiveLayout.IdOf(name!), Name: name!))
                    .Where(f => f.Id is { } id && (options.UpToArchive is not { } last || id <= last))
                    .Select(f => (f.Id!.Value, f.Name))
                    .OrderBy(f => f.Item1)];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail(ArchiveVerificationFailure.Unreadable, null, null, null, $"the archive directory {directory} cannot be read: {ex.Message}");
            }

            string? server = options.ServerId;
            byte[]? previous = null;
            var expectedId = 1L;
            foreach (var (id, name) in files)
            {
                if (id != expectedId)
                {
                    return Fail(ArchiveVerificationFailure.ChainBroken, expectedId, null, null, expectedId == 1
                        ? $"archive 1 is missing: the first archive in the directory is {id}"
                        : $"archive {expectedId} is missing: archive {id} follows archive {expectedId - 1}");
                }

                var failure = CheckArchive(Path.Combine(directory, name), id, name, ref server, ref previous);
                if (failure is not null)
                {
                    return failure;
                }

                expectedId++;
            }

            if (options.UpToArchive is { } upTo && expectedId <= upTo)
            {
                return Fail(ArchiveVerificationFailure.ChainBroken, expectedId, null, null, $"archive {expectedId} is missing (archives up to {upTo} are expected)");
            }

            return new ArchiveVerificationResult
            {
                Archives = _archives,
                Records = _records,
                LastSequence = _lastSequence,
                SignersVerified = _signatures is not null,
                SealedBodies = _sealed,
            };
        }

        private ArchiveVerificationResult Fail(ArchiveVerificationFailure failure, long? id, string? fileName, long? sequence, string message) => new()
        {
            Failure = failure,
            ArchiveId = id,
            FileName = fileName,
            Sequence = sequence,
            Message = message,
            Archives = _archives,
            Records = _records,
            LastSequence = _lastSequence,
            SignersVerified = _signatures is not null,
            SealedBodies = _sealed,
        };

        private ArchiveVerificationResult? CheckArchive(string path, long id, string name, ref string? server, ref byte[]? previous)
        {
            ArchiveFile archive;
            try
            {
                var opened = ArchiveFile.Open(path, hashFile: true);
                if (!opened.Success)
                {
                    return Fail(ArchiveVerificationFailure.Unreadable, id, name, null, $"archive {id}: {opened.Message}");
                }

                archive = opened.Value;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail(ArchiveVerificationFailure.Unreadable, id, name, null, $"archive {id} cannot be read: {ex.Message}");
            }

            using (archive)
            {
                try
                {
                    return CheckOpened(archive, id, name, ref server, ref previous);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    return Fail(ArchiveVerificationFailure.Unreadable, id, name, null, $"archive {id} cannot be read: {ex.Message}");
                }
            }
        }

        private ArchiveVerificationResult? CheckOpened(ArchiveFile archive, long id, string name, ref string? server, ref byte[]? previous)
        {
            if (archive.Manifest is not { } manifest)
            {
                return Fail(ArchiveVerificationFailure.MalformedManifest, id, name, null, $"archive {id}: {archive.ManifestProblem}");
            }

            if (manifest.Id != id)
            {
                return Fail(ArchiveVerificationFailure.ChainBroken, id, name, null, $"file {name} holds the manifest of archive {manifest.Id}");
            }

            if (CheckSignature(archive, manifest, name) is { } badSignature)
            {
                return badSignature;
            }

            if (server is not null && !string.Equals(server, manifest.ServerId, StringComparison.Ordinal))
            {
                return Fail(ArchiveVerificationFailure.ChainBroken, id, name, null, $"archive {id} names server {manifest.ServerId}, not {server}");
            }

            server = manifest.ServerId;
            if (!SameHash(manifest.PreviousSha256, previous))
            {
                return Fail(ArchiveVerificationFailure.ChainBroken, id, name, null, previous is null
                    ? $"archive {id} names a previous archive, but it is the first"
                    : $"archive {id}'s previous-manifest hash is not the SHA-256 of archive {id - 1}'s manifest");
            }

            if (manifest.FirstSequence != _lastSequence + 1)
            {
                return Fail(ArchiveVerificationFailure.ChainBroken, id, name, manifest.FirstSequence, $"archive {id} starts at record {manifest.FirstSequence}, not {_lastSequence + 1}");
            }

            byte[]? key = null;
            try
            {
                if (CheckKey(archive, manifest, name, out key) is { } badKey)
                {
                    return badKey;
                }

                using var aes = key is null ? null : new AesGcm(key, ArchiveLayout.TagBytes);
                if (CheckRecords(archive, manifest, name, aes) is { } badRecord)
                {
                    return badRecord;
                }
            }
            finally
            {
                if (key is not null)
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }

            if (!archive.NoFurtherParts(out var extra))
            {
                return Fail(ArchiveVerificationFailure.Unreadable, id, name, null, $"archive {id}: {extra}");
            }

            var manifestSha256 = SHA256.HashData(archive.ManifestBytes);
            if (hooks?.Archive(manifest, manifestSha256, archive.FileSha256()) is { } logMismatch)
            {
                return Fail(logMismatch.Failure, id, name, null, logMismatch.Message);
            }

            previous = manifestSha256;
            _archives++;
            _lastSequence = manifest.LastSequence;
            return null;
        }

        private ArchiveVerificationResult? CheckSignature(ArchiveFile archive, ArchiveManifest manifest, string name)
        {
            var id = manifest.Id;
            X509Certificate2 signer;
            if (_signatures is not null)
            {
                var verified = _signatures.Verify(archive.Signature, archive.ManifestBytes, manifest.CreatedAt, CertificatePurpose.Signing);
                if (!verified.IsValid)
                {
                    return Fail(ArchiveVerificationFailure.SignatureInvalid, id, name, null, $"archive {id} manifest signature: {verified}");
                }

                signer = verified.Value!.Signer;
            }
            else
            {
                var cms = new SignedCms(new ContentInfo(archive.ManifestBytes), detached: true);
                try
                {
                    cms.Decode(archive.Signature);
                    if (cms.SignerInfos.Count != 1 || cms.SignerInfos[0].Certificate is not { } embedded)
                    {
                        return Fail(ArchiveVerificationFailure.SignatureInvalid, id, name, null, $"archive {id} manifest signature: expected one signer with its certificate");
                    }

                    cms.CheckSignature(verifySignatureOnly: true);
                    signer = embedded;
                }
                catch (CryptographicException ex)
                {
                    return Fail(ArchiveVerificationFailure.SignatureInvalid, id, name, null, $"archive {id} manifest signature does not verify: {ex.Message}");
                }
            }

            var owner = SecurityServerId.TryParse(manifest.ServerId);
            if (!owner.Success)
            {
                return Fail(ArchiveVerificationFailure.MalformedManifest, id, name, null, $"archive {id} names server '{manifest.ServerId}', not a security server id: {owner.Message}");
            }

            var member = options.SignerMember is { } resolve
                ? resolve(signer)
                : CertificateSubjectProfile.Default.TryGetMember(signer.SubjectName, owner.Value.Owner.Instance) is { Success: true } m ? m.Value.ToString() : null;
            if (!string.Equals(member, owner.Value.Owner.ToString(), StringComparison.Ordinal))
            {
                return Fail(ArchiveVerificationFailure.WrongSigner, id, name, null, $"archive {id} is signed by {(member is null ? "a certificate naming no member" : "member " + member)} ({signer.Subject}), not by {owner.Value.Owner}, the owner of {manifest.ServerId}");
            }

            return null;
        }

        private ArchiveVerificationResult? CheckKey(ArchiveFile archive, ArchiveManifest manifest, string name, out byte[]? key)
        {
            key = null;
            var id = manifest.Id;
            if (manifest.KeySha256 is not { } expected)
            {
                return archive.WrappedKey is null
                    ? null
                    : Fail(ArchiveVerificationFailure.KeyInvalid, id, name, null, $"archive {id} holds a wrapped key but its manifest says it is not encrypted");
            }

            if (archive.WrappedKey is not { } wrapped)
            {
                return Fail(ArchiveVerificationFailure.KeyInvalid, id, name, null, $"archive {id} is encrypted but has no {ArchiveLayout.KeyEntry}");
            }

            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(wrapped), expected.Span))
            {
                return Fail(ArchiveVerificationFailure.KeyInvalid, id, name, null, $"archive {id}'s {ArchiveLayout.KeyEntry} does not match the manifest's key-sha256");
            }

            if (options.DecryptionCertificates is not { Count: > 0 } certificates)
            {
                return null;
            }

            key = ArchiveKeys.TryUnwrap(wrapped, certificates, out var problem);
            return key is null ? Fail(ArchiveVerificationFailure.KeyInvalid, id, name, null, $"archive {id}: {problem}") : null;
        }

        private ArchiveVerificationResult? CheckRecords(ArchiveFile archive, ArchiveManifest manifest, string name, AesGcm? aes)
        {
            var id = manifest.Id;
            using var hashing = new HashingStream(archive.Records, leaveOpen: true);
            var reader = new RecordsPartReader(hashing);
            if (!reader.ReadMagic())
            {
                return Fail(ArchiveVerificationFailure.MalformedRecord, id, name, null, $"archive {id}: {reader.Problem}");
            }

            for (var sequence = manifest.FirstSequence; sequence <= manifest.LastSequence; sequence++)
            {
                if (!reader.TryRead(skipBody: false, out var entry))
                {
                    return Fail(ArchiveVerificationFailure.MalformedRecord, id, name, sequence, $"archive {id}: {reader.Problem}");
                }

                if (CheckEntry(entry!, sequence, manifest, name, aes) is { } bad)
                {
                    return bad;
                }

                _records++;
            }

            if (!reader.AtEnd())
            {
                return Fail(ArchiveVerificationFailure.MalformedRecord, id, name, null, $"archive {id}: bytes follow record {manifest.LastSequence}, its manifest's last");
            }

            if (!CryptographicOperations.FixedTimeEquals(hashing.Hash(), manifest.RecordsSha256.Span))
            {
                return Fail(ArchiveVerificationFailure.RecordsHashMismatch, id, name, null, $"archive {id}'s records part does not hash to the manifest's records-sha256");
            }

            return null;
        }

        private ArchiveVerificationResult? CheckEntry(ArchiveEntry entry, long sequence, ArchiveManifest manifest, string name, AesGcm? aes)
        {
            var id = manifest.Id;
            if (entry.Sequence != sequence)
            {
                return Fail(ArchiveVerificationFailure.MalformedRecord, id, name, sequence, $"archive {id}: the entry where record {sequence} belongs is record {entry.Sequence}");
            }

            var decoded = RecordDecoding.TryDecode(entry.Canonical);
            var carried = decoded.Success ? decoded.Value.Sequence : 0;
            if (!decoded.Success || carried != sequence)
            {
                return Fail(ArchiveVerificationFailure.MalformedRecord, id, name, sequence, $"archive {id} record {sequence}: " + (decoded.Success ? $"the canonical bytes carry sequence {carried}" : decoded.Message));
            }

            if (MerkleHasher.HashLeaf(entry.Canonical) != entry.Leaf)
            {
                return Fail(ArchiveVerificationFailure.LeafMismatch, id, name, sequence, $"archive {id} record {sequence}: the canonical bytes do not hash to the record's leaf");
            }

            var record = decoded.Value.Record;
            if (CheckBody(entry, record, aes) is { } bodyProblem)
            {
                return Fail(ArchiveVerificationFailure.BodyDigestMismatch, id, name, sequence, $"archive {id} record {sequence}: {bodyProblem}");
            }

            if (hooks?.Record(sequence, entry.Leaf, record) is { } logMismatch)
            {
                return Fail(logMismatch.Failure, id, name, sequence, logMismatch.Message);
            }

            return null;
        }

        private string? CheckBody(ArchiveEntry entry, MessageRecord record, AesGcm? aes)
        {
            switch (entry.BodyKind)
            {
                case ArchivedBody.Plain:
                    return BodyMatches(entry.Body!, record) ? null : "the body does not match the record's SHA-512 digest";
                case ArchivedBody.Encrypted when aes is null:
                    _sealed++;
                    return entry.Body!.Length == record.BodyLength ? null : "the encrypted body's length is not the record's body length";
                case ArchivedBody.Encrypted:
                    var plain = ArchiveKeys.TryDecrypt(aes, entry.Sequence, entry.Leaf, entry.Body!, entry.Tag!);
                    return plain is null
                        ? "the encrypted body fails its AES-GCM authentication tag"
                        : BodyMatches(plain, record) ? null : "the decrypted body does not match the record's SHA-512 digest";
                default:
                    return null;
            }
        }

        private static bool BodyMatches(byte[] body, MessageRecord record) =>
            body.Length == record.BodyLength && CryptographicOperations.FixedTimeEquals(SHA512.HashData(body), record.BodyDigest.Span);

        private static bool SameHash(ReadOnlyMemory<byte>? stated, byte[]? actual) =>
            stated is { } s ? actual is not null && CryptographicOperations.FixedTimeEquals(s.Span, actual) : actual is null;
    }

}

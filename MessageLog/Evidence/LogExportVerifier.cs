using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Verifies an exported log range (<see cref="LogExportFormat"/>) offline, in one pass over the stream and in
/// memory that does not grow with the range, and reports every check it made (<see cref="EvidenceReport"/>);
/// each failure names the first bad item.
/// </summary>
/// <remarks>
/// Checks, in report order:
/// <list type="bullet">
/// <item><c>export.header</c>: the header line parses strictly (nothing else is checked when it does not).</item>
/// <item><c>trust.anchor</c>, <c>trust.configuration</c>, <c>trust.certificates</c>: <see cref="EvidenceTrustVerifier"/> on the
/// export's trust material (the auditor's anchor when given).</item>
/// <item><c>checkpoint.from.content</c>, <c>checkpoint.from.frontier</c>, <c>checkpoint.from.signature</c>, <c>checkpoint.from.timestamp</c>
/// (the last two not for the empty tree), then <c>checkpoint.to.content</c>, <c>checkpoint.to.signature</c>, <c>checkpoint.to.timestamp</c>:
/// each checkpoint parses and names the header's server and size; A's frontier gives A's root; the detached CMS signature verifies,
/// by a certificate of an approved CA whose member owns the server, valid when stamped; the RFC 3161 token of an approved TSA covers
/// SHA-256 of that signature (an unstamped checkpoint fails: its time is only the server's word).</item>
/// <item><c>record.N.encoding</c>, <c>record.N.body</c>, <c>record.N.signature</c>, listed as they fail in file order (at most
/// <see cref="LogExportVerifierOptions.MaxListedRecordFailures"/>): the canonical bytes decode and carry the line's sequence; an exported
/// body hashes to the digest and length in the leaf; the signed head names the record's kind, ids and body digest, and the batch
/// signature over it verifies (one CMS verification per batch) by the client's member for a request, the service's member for a response;
/// an error record has neither head nor signature. Then one summary per category: <c>records.encoding</c>, <c>records.body</c>,
/// <c>records.signature</c>.</item>
/// <item><c>sequence</c>: records A.size + 1 to B.size, each once, in order (names the first missing or misplaced sequence).</item>
/// <item><c>root</c>: the leaves folded onto A's frontier give B's root.</item>
/// <item><c>consistency</c>: the header's proof shows B extends A.</item>
/// <item><c>witness.SIZE</c>, per statement in the header and given by the auditor: signed by a configuration-signing certificate the
/// anchor pins, of this instance and server, and for a size within [A, B] of the root the records give at that size.</item>
/// <item><c>end</c>: the end line is there, last, with the record count.</item>
/// </list>
/// A changed record is caught by its own checks where it can be (a changed head by its signature, a changed id by the head's
/// disagreement), so that the first failure names it; the root then fails too. An error record changed is caught by the root only.
/// OCSP responses inside records are not checked here (the bundle verifier does, per message).
/// </remarks>
public static class LogExportVerifier
{
    /// <summary>Verifies the export read from <paramref name="export"/>.</summary>
    /// <param name="export">The export; read to its end (or to the first unreadable header), not closed.</param>
    /// <param name="auditorAnchor">The auditor's own configuration anchor file; null to use the export's.</param>
    /// <param name="extraWitnesses">Witness statements (and their detached CMS signatures) the auditor obtained elsewhere.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static EvidenceReport Verify(
        Stream export,
        ReadOnlyMemory<byte>? auditorAnchor,
        IReadOnlyList<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)> extraWitnesses,
        LogExportVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(extraWitnesses);
        options ??= new LogExportVerifierOptions();
        using var reader = new LogExportReader(export, options.MaxLineBytes, leaveOpen: true);
        var header = reader.ReadHeader();
        if (!header.Success)
        {
            return new EvidenceReport("log export", [new EvidenceCheck(LogExportChecks.Header, false, header.Message)]);
        }

        var run = new Run(header.Value, options);
        return run.Execute(reader, auditorAnchor, extraWitnesses);
    }

    private sealed class Run(LogExportHeader header, LogExportVerifierOptions options)
    {
        private readonly List<EvidenceCheck> _checks = [];
        private readonly long _from = header.From.TreeSize;
        private readonly long _to = header.To.TreeSize;
        private readonly HashSet<long> _witnessedSizes = [];
        private readonly Dictionary<long, MerkleHash> _rootsAt = [];
        private readonly int _maxListed = Math.Max(1, options.MaxListedRecordFailures);
        private readonly RecordTally _encoding = new(LogExportChecks.RecordsEncoding);
        private readonly RecordTally _body = new(LogExportChecks.RecordsBody);
        private readonly RecordTally _signature = new(LogExportChecks.RecordsSignature);
        private readonly Dictionary<string, MemberId?> _members = new(StringComparer.Ordinal);
        private readonly SecurityServerId? _server = SecurityServerId.TryParse(header.Server).Value;
        private ResolvedTrust? _trust;
        private X509Certificate2[]? _anchorCertificates;
        private CmsSignatureVerifier? _anchorCms;
        private BatchSignatureVerifier? _batches;
        private MerkleFrontier _tree = new();
        private long _listed;
        private long _records;
        private long? _firstSequenceProblem;
        private string? _sequenceProblem;

        public EvidenceReport Execute(
            LogExportReader reader,
            ReadOnlyMemory<byte>? auditorAnchor,
            IReadOnlyList<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)> extraWitnesses)
        {
            Add(LogExportChecks.Header, true, Text($"{LogExportFormat.Name} of {header.Server}: records {_from + 1} to {_to} between checkpoints {_from} and {_to}, written {LogTime.Format(header.CreatedAt)}, {header.Witnesses.Count} witness statement(s)"));
            _trust = EvidenceTrustVerifier.Verify(header.Trust, auditorAnchor, _checks);
            if (_trust?.Cms is { } cms)
            {
                // Many records share one batch signature: each distinct CMS is verified once (per minute of record time).
                _batches = new BatchSignatureVerifier(cms, cacheCapacity: 4096);
            }

            var fromRoot = CheckFrom();
            if (_from > 0)
            {
                CheckSignatureAndStamp(header.From, LogExportChecks.FromSignature, LogExportChecks.FromTimeStamp);
            }

            var toRoot = CheckTo();
            CheckSignatureAndStamp(header.To, LogExportChecks.ToSignature, LogExportChecks.ToTimeStamp);
            var witnesses = ParseWitnesses([.. header.Witnesses, .. extraWitnesses]);
            foreach (var w in witnesses)
            {
                if (w.Statement is { } s && s.TreeSize > _from && s.TreeSize < _to)
                {
                    _witnessedSizes.Add(s.TreeSize);
                }
            }

            var end = ReadRecords(reader);
            _encoding.Summarize(this, _records);
            _body.Summarize(this, _records);
            _signature.Summarize(this, _records);
            CheckSequence();
            CheckRoot(toRoot);
            CheckConsistency(fromRoot, toRoot);
            CheckWitnesses(witnesses, fromRoot, toRoot);
            CheckEnd(end);
            return new EvidenceReport(Text($"log export of {header.Server}, records {_from + 1} to {_to}"), _checks);
        }

        private void Add(string name, bool passed, string message, long? item = null) => _checks.Add(new EvidenceCheck(name, passed, message, item));

        /// <summary>Checks A's content and frontier, and restores the frontier to fold on; A's signed root, or null.</summary>
        private MerkleHash? CheckFrom()
        {
            if (_from == 0)
            {
                Add(LogExportChecks.FromContent, true, "the empty tree (size 0): the export starts at record 1");
                Add(LogExportChecks.FromFrontier, true, "the empty tree has an empty frontier");
                return MerkleHasher.EmptyRoot;
            }

            var content = CheckContent(header.From, "from", LogExportChecks.FromContent);
            var bytes = new byte[header.From.Frontier!.Count * MerkleHash.SizeInBytes];
            for (var i = 0; i < header.From.Frontier.Count; i++)
            {
                header.From.Frontier[i].CopyTo(bytes.AsSpan(i * MerkleHash.SizeInBytes));
            }

            // The header parser already checked the count, so the frontier restores; folding goes on from it even
            // when it is wrong, so that the records are still checked for themselves.
            MerkleFrontier.TryRestore(_from, bytes, out _tree);
            if (content is null)
            {
                Add(LogExportChecks.FromFrontier, false, Text($"checkpoint {_from}: not checked, its content does not parse"), _from);
                return null;
            }

            if (_tree.RootHash != content.RootHash)
            {
                Add(LogExportChecks.FromFrontier, false, Text($"checkpoint {_from}: the exported frontier gives root {_tree.RootHash}, not the signed root {content.RootHash}"), _from);
                return content.RootHash;
            }

            Add(LogExportChecks.FromFrontier, true, Text($"checkpoint {_from}: the frontier ({header.From.Frontier.Count} subtree roots) gives the signed root {content.RootHash}"), _from);
            return content.RootHash;
        }

        private MerkleHash? CheckTo() => CheckContent(header.To, "to", LogExportChecks.ToContent)?.RootHash;

        private Checkpoint? CheckContent(LogExportCheckpoint checkpoint, string which, string name)
        {
            var size = checkpoint.TreeSize;
            var parsed = Checkpoint.Parse(checkpoint.Content!.Value.Span);
            if (!parsed.Success)
            {
                Add(name, false, Text($"checkpoint {size} ({which}): {parsed.Message}"), size);
                return null;
            }

            var content = parsed.Value;
            if (content.TreeSize != size || !string.Equals(content.ServerId, header.Server, StringComparison.Ordinal))
            {
                Add(name, false, Text($"checkpoint {size} ({which}): the signed content is of server {content.ServerId} at size {content.TreeSize}, not {header.Server} at {size}"), size);
                return null;
            }

            Add(name, true, Text($"checkpoint {size} of {content.ServerId}, root {content.RootHash}, made {LogTime.Format(content.CreatedAt)}"), size);
            return content;
        }

        /// <summary>
        /// The checkpoint's time-stamp (over SHA-256 of its signature, by an approved TSA) and its signature (by a
        /// certificate of an approved CA whose member owns the server, valid when stamped).
        /// </summary>
        private void CheckSignatureAndStamp(LogExportCheckpoint checkpoint, string signatureName, string stampName)
        {
            var size = checkpoint.TreeSize;
            var signature = checkpoint.Signature!.Value;
            var content = Checkpoint.Parse(checkpoint.Content!.Value.Span);
            EvidenceCheck stamp;
            DateTimeOffset? stampedAt = null;
            if (checkpoint.TimeStampToken is not { } token)
            {
                stamp = new EvidenceCheck(stampName, false, Text($"checkpoint {size} has no time-stamp: when it was made rests on the server's word"), size);
            }
            else if (_trust?.TimeStamps is not { } tsas)
            {
                stamp = new EvidenceCheck(stampName, false, Text($"checkpoint {size}: not verified, there is no trusted TSA"), size);
            }
            else
            {
                var verified = new TimeStampVerifier(options.Time).Verify(token, SHA256.HashData(signature.Span), HashAlgorithmName.SHA256, tsas);
                if (verified.IsValid)
                {
                    stampedAt = verified.Value.GenTime;
                    stamp = new EvidenceCheck(stampName, true, Text($"checkpoint {size} was signed by {LogTime.Format(verified.Value.GenTime)} (time-stamp over SHA-256 of its signature by '{verified.Value.TsaCertificate.Subject}')"), size);
                }
                else
                {
                    stamp = new EvidenceCheck(stampName, false, Text($"checkpoint {size}: the time-stamp does not cover its signature: {verified}"), size);
                }
            }

            if (_trust?.Cms is not { } cms)
            {
                Add(signatureName, false, Text($"checkpoint {size}: not verified, there is no trusted configuration or approved CA"), size);
            }
            else
            {
                var at = stampedAt ?? (content.Success ? content.Value.CreatedAt : header.CreatedAt);
                var verified = cms.Verify(signature.Span, checkpoint.Content!.Value.Span, at, CertificatePurpose.Signing, requireSigningCertificateAttribute: true);
                if (!verified.IsValid)
                {
                    Add(signatureName, false, Text($"checkpoint {size}: the signature does not verify over its content: {verified}"), size);
                }
                else if (MemberOf(verified.Value.Signer, verified.Value.Chain) is not { } member || _server is null || member != _server.Owner)
                {
                    Add(signatureName, false, Text($"checkpoint {size} is signed by '{verified.Value.Signer.Subject}', not by the owner {_server?.Owner} of {header.Server}"), size);
                }
                else
                {
                    Add(signatureName, true, Text($"checkpoint {size} is signed by {member} ('{verified.Value.Signer.Subject}'), the owner of {header.Server}"), size);
                }
            }

            _checks.Add(stamp);
        }

        private MemberId? MemberOf(X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain)
        {
            if (_members.TryGetValue(signer.Thumbprint, out var known))
            {
                return known;
            }

            var member = _trust!.MemberOf(signer, chain);
            var value = member.Success ? member.Value : null;
            _members[signer.Thumbprint] = value;
            return value;
        }

        /// <summary>Reads every line after the header; the end line's declared count, or null when there was none.</summary>
        private long? ReadRecords(LogExportReader reader)
        {
            var expected = _from + 1;
            while (true)
            {
                var item = reader.ReadItem();
                if (!item.Success)
                {
                    // An unreadable line stands for the record expected there: its sequence is the best name for it.
                    _encoding.Fail(this, expected, Text($"record {expected}: {item.Message}"));
                    expected++;
                    continue;
                }

                var value = item.Value;
                if (value.Kind == LogExportItemKind.EndOfFile)
                {
                    return null;
                }

                if (value.Kind == LogExportItemKind.End)
                {
                    return value.EndRecords;
                }

                var record = value.Record!;
                if (record.Sequence != expected && _firstSequenceProblem is null)
                {
                    _firstSequenceProblem = expected;
                    _sequenceProblem = record.Sequence > _to
                        ? Text($"line {value.Line} holds record {record.Sequence}, beyond checkpoint {_to}")
                        : record.Sequence > expected
                            ? Text($"record {expected} is missing or out of order: line {value.Line} holds record {record.Sequence}")
                            : Text($"record {expected} is missing or out of order: line {value.Line} holds record {record.Sequence} again or too late");
                }

                expected = record.Sequence + 1;
                _records++;
                CheckRecord(record);
                _tree.Append(MerkleHasher.HashLeaf(record.Canonical.Span));
                if (_witnessedSizes.Contains(_tree.Size))
                {
                    _rootsAt[_tree.Size] = _tree.RootHash;
                }
            }
        }

        private void CheckRecord(LogExportRecord line)
        {
            var n = line.Sequence;
            var parsed = RecordDecoding.TryDecode(line.Canonical.Span);
            if (!parsed.Success)
            {
                _encoding.Fail(this, n, Text($"record {n}: {parsed.Message}"));
                return;
            }

            if (parsed.Value.Sequence != n)
            {
                _encoding.Fail(this, n, Text($"record {n}: the canonical bytes carry sequence {parsed.Value.Sequence}"));
                return;
            }

            var record = parsed.Value.Record;
            if (line.Body is { } body)
            {
                if (body.Length != record.BodyLength || !CryptographicOperations.FixedTimeEquals(SHA512.HashData(body.Span), record.BodyDigest.Span))
                {
                    _body.Fail(this, n, Text($"record {n}: the exported body ({body.Length} bytes) does not match the SHA-512 digest and length ({record.BodyLength} bytes) in the leaf"));
                }
            }

            if (CheckSignature(record) is { } problem)
            {
                _signature.Fail(this, n, Text($"record {n}: {problem}"));
            }
        }

        /// <summary>The problem with the record's signed head and signature, or null.</summary>
        private string? CheckSignature(MessageRecord record)
        {
            if (record.Head.IsEmpty || record.Signature.IsEmpty)
            {
                // An error record: the exchange ended before (or without) a signed message, so there is nothing
                // signed to check; its fields are covered by the leaf like any other record's.
                return record.Head.IsEmpty && record.Signature.IsEmpty && record.ErrorCode is not null
                    ? null
                    : "a record without an error code must carry both a signed head and its signature";
            }

            var head = SignedHeadView.Decode(record.Head.Span, record.Kind);
            if (!head.Success)
            {
                return head.Message;
            }

            if (head.Value.Disagreement(record) is { } disagreement)
            {
                return disagreement;
            }

            var decoded = BatchSignatureEncoding.TryDecode(record.Signature.Span);
            if (!decoded.Success)
            {
                return decoded.Message;
            }

            if (_batches is null)
            {
                return "not verified: there is no trusted configuration or approved CA";
            }

            var verified = _batches.Verify(RequestHash.SigningDigest(record.Head.Span), decoded.Value, record.At);
            if (!verified.IsValid)
            {
                return $"the signature does not verify over the signed head: {verified}";
            }

            // A request is signed by the client's member, a response by the service's (provider's) member.
            var expected = record.Kind == RecordKind.Request
                ? ClientId.TryParse(record.ClientId).Value?.Member
                : ServiceId.TryParse(record.ServiceId).Value?.Client.Member;
            var signer = MemberOf(verified.Value.Signer, verified.Value.Chain);
            return expected is not null && signer == expected
                ? null
                : $"the {(record.Kind == RecordKind.Request ? "request" : "response")} is signed by '{verified.Value.Signer.Subject}' ({signer?.ToString() ?? "no member"}), not by {expected?.ToString() ?? "a member"}";
        }

        private void CheckSequence()
        {
            if (_firstSequenceProblem is { } first)
            {
                Add(LogExportChecks.Sequence, false, _sequenceProblem!, first);
                return;
            }

            var last = _from + _records;
            if (last < _to)
            {
                Add(LogExportChecks.Sequence, false, Text($"records {last + 1} to {_to} are missing: the export ends after record {last}"), last + 1);
                return;
            }

            Add(LogExportChecks.Sequence, true, Text($"records {_from + 1} to {_to}, each once, in order"));
        }

        private void CheckRoot(MerkleHash? toRoot)
        {
            if (toRoot is not { } expected)
            {
                Add(LogExportChecks.Root, false, Text($"not checked: checkpoint {_to}'s content does not parse"), _to);
                return;
            }

            if (_tree.Size != _to || _tree.RootHash != expected)
            {
                Add(LogExportChecks.Root, false, Text($"the {_records} exported records folded onto checkpoint {_from} give a tree of {_tree.Size} records with root {_tree.RootHash}, not checkpoint {_to}'s root {expected}"), _to);
                return;
            }

            Add(LogExportChecks.Root, true, Text($"the exported records folded onto checkpoint {_from} give checkpoint {_to}'s root {expected}"), _to);
        }

        private void CheckConsistency(MerkleHash? fromRoot, MerkleHash? toRoot)
        {
            if (fromRoot is not { } a || toRoot is not { } b)
            {
                Add(LogExportChecks.Consistency, false, "not checked: a checkpoint's content does not parse");
                return;
            }

            var result = MerkleProofs.VerifyConsistency(_from, _to, a, b, [.. header.Consistency]);
            Add(
                LogExportChecks.Consistency,
                result.IsValid,
                result.IsValid
                    ? Text($"the proof ({header.Consistency.Count} hashes) shows checkpoint {_to} extends checkpoint {_from}")
                    : Text($"checkpoint {_to} is not shown to extend checkpoint {_from}: {result.Message}"),
                _to);
        }

        private List<ParsedWitness> ParseWitnesses(IReadOnlyList<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)> all)
        {
            var list = new List<ParsedWitness>(all.Count);
            for (var i = 0; i < all.Count; i++)
            {
                var parsed = WitnessStatement.Parse(all[i].Statement.Span);
                list.Add(new ParsedWitness(i + 1, parsed.Success ? parsed.Value : null, parsed.Success ? null : parsed.Message, all[i].Statement, all[i].Signature));
            }

            return list;
        }

        private void CheckWitnesses(List<ParsedWitness> witnesses, MerkleHash? fromRoot, MerkleHash? toRoot)
        {
            foreach (var w in witnesses)
            {
                if (w.Statement is not { } s)
                {
                    Add(Text($"witness.statement-{w.Index}"), false, Text($"witness statement {w.Index}: {w.Problem}"));
                    continue;
                }

                var name = LogExportChecks.Witness(s.TreeSize);
                if (WitnessSignatureProblem(w, s) is { } bad)
                {
                    Add(name, false, Text($"the witness statement of size {s.TreeSize}: {bad}"), s.TreeSize);
                    continue;
                }

                if (!string.Equals(s.ServerId, header.Server, StringComparison.Ordinal))
                {
                    Add(name, false, Text($"the witness statement of size {s.TreeSize} is about server {s.ServerId}, not {header.Server}"), s.TreeSize);
                    continue;
                }

                MerkleHash? root = s.TreeSize == _from ? fromRoot
                    : s.TreeSize == _to ? toRoot
                    : _rootsAt.TryGetValue(s.TreeSize, out var at) ? at
                    : null;
                if (s.TreeSize < _from || s.TreeSize > _to)
                {
                    Add(name, true, Text($"witnessed {LogTime.Format(s.WitnessedAt)} at size {s.TreeSize}, outside the exported range {_from} to {_to}: its root is not compared"), s.TreeSize);
                }
                else if (root is not { } expected)
                {
                    Add(name, false, Text($"the root at size {s.TreeSize} cannot be computed from this export"), s.TreeSize);
                }
                else if (expected != s.RootHash)
                {
                    Add(name, false, Text($"the Central Server witnessed root {s.RootHash} at size {s.TreeSize} ({LogTime.Format(s.WitnessedAt)}), but this log's root at that size is {expected}: the log was rewritten"), s.TreeSize);
                }
                else
                {
                    Add(name, true, Text($"witnessed {LogTime.Format(s.WitnessedAt)}: the root at size {s.TreeSize} is the one the Central Server saw"), s.TreeSize);
                }
            }
        }

        /// <summary>
        /// Why the statement's signature is not the Central Server's, or null: a detached CMS over the statement by
        /// a configuration-signing certificate pinned in the anchor in use, valid when it witnessed.
        /// </summary>
        private string? WitnessSignatureProblem(ParsedWitness witness, WitnessStatement statement)
        {
            if (_trust is null)
            {
                return "not verified: there is no usable configuration anchor";
            }

            if (!string.Equals(statement.InstanceId, _trust.Anchor.InstanceId, StringComparison.Ordinal))
            {
                return $"it is of instance {statement.InstanceId}, the anchor of {_trust.Anchor.InstanceId}";
            }

            _anchorCertificates ??= _trust.Anchor.LoadCertificates();
            _anchorCms ??= new CmsSignatureVerifier(new CertificateValidator(_anchorCertificates));
            var verified = _anchorCms.Verify(
                witness.Signature.Span, witness.Raw.Span, statement.WitnessedAt, CertificatePurpose.Signing, _anchorCertificates, requireSigningCertificateAttribute: true);
            if (!verified.IsValid)
            {
                return $"the Central Server's signature does not verify: {verified}";
            }

            // Pinned: the signer must be one of the anchor's certificates, not merely issued by one.
            var signer = verified.Value.Signer.RawData;
            return _anchorCertificates.Any(c => c.RawData.AsSpan().SequenceEqual(signer))
                ? null
                : $"it is signed by '{verified.Value.Signer.Subject}', which is not a certificate of the anchor";
        }

        private void CheckEnd(long? endCount)
        {
            var last = _from + _records;
            if (endCount is not { } declared)
            {
                Add(LogExportChecks.End, false, Text($"there is no end line after record {last}: the export was cut short"), last < _to ? last + 1 : null);
                return;
            }

            if (declared != _to - _from || _records != declared)
            {
                Add(LogExportChecks.End, false, Text($"the end line declares {declared} records; the range holds {_to - _from} and the file {_records}"));
                return;
            }

            Add(LogExportChecks.End, true, Text($"the end line closes the export after {declared} records"));
        }

        private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

        private sealed record ParsedWitness(int Index, WitnessStatement? Statement, string? Problem, ReadOnlyMemory<byte> Raw, ReadOnlyMemory<byte> Signature);

        /// <summary>Failures of one record check: the first few listed as they happen, all counted.</summary>
        private sealed class RecordTally(string summaryName)
        {
            private long _failed;
            private long? _first;

            public void Fail(Run run, long sequence, string message)
            {
                _failed++;
                _first ??= sequence;
                if (run._listed < run._maxListed)
                {
                    run._listed++;
                    run.Add(LogExportChecks.Record(sequence, summaryName["records.".Length..]), false, message, sequence);
                }
            }

            public void Summarize(Run run, long records) => run.Add(
                summaryName,
                _failed == 0,
                _failed == 0
                    ? Text($"all {records} records pass")
                    : Text($"{_failed} of {records} record(s) fail; the first is record {_first}"),
                _first);
        }
    }
}

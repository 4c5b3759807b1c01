using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>The first line of an export: whose log, between which checkpoints, and what to check it with.</summary>
/// <param name="Server">The security server whose log this is (canonical id text).</param>
/// <param name="CreatedAt">When the export was written.</param>
/// <param name="From">Checkpoint A, with its frontier; the export holds records A.size + 1 to B.size.</param>
/// <param name="To">Checkpoint B.</param>
/// <param name="Consistency">The RFC 6962 consistency proof from A to B; empty when A is the empty tree or A = B.</param>
/// <param name="Trust">The trust material the checkpoints and message signatures are checked against.</param>
/// <param name="Witnesses">Central Server witness statements of this server's checkpoints and their detached CMS signatures.</param>
public sealed record LogExportHeader(
    string Server,
    DateTimeOffset CreatedAt,
    LogExportCheckpoint From,
    LogExportCheckpoint To,
    IReadOnlyList<MerkleHash> Consistency,
    EvidenceTrust Trust,
    IReadOnlyList<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)> Witnesses);

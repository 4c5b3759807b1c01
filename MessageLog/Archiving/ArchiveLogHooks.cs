using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// Extra checks the message-log verifier runs while <see cref="ArchiveVerifier"/> reads archives: each
/// record against its live row, each archive against the archive table. Each returns null when fine, or
/// the failure and its message.
/// </summary>
internal sealed class ArchiveLogHooks
{
    /// <summary>A verified record (its canonical bytes hash to <c>leaf</c>, decoded as <c>record</c>).</summary>
    public required Func<long, MerkleHash, MessageRecord, (ArchiveVerificationFailure Failure, string Message)?> Record { get; init; }

    /// <summary>A verified archive: its manifest, the manifest's SHA-256 and the whole file's SHA-256.</summary>
    public required Func<ArchiveManifest, byte[], byte[], (ArchiveVerificationFailure Failure, string Message)?> Archive { get; init; }
}

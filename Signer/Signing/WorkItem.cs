namespace ExchangeGateway.Signer.Signing;

/// <summary>One queued request: a digest for the next batch, or bytes for a detached signature of their own.</summary>
/// <param name="Data">The digest (copied on enqueue) or the content to sign.</param>
/// <param name="Digest">Completed with the batch result; null for a detached request.</param>
/// <param name="Detached">Completed with the detached result; null for a digest.</param>
internal readonly record struct WorkItem(
    ReadOnlyMemory<byte> Data,
    TaskCompletionSource<SignResult>? Digest,
    TaskCompletionSource<DetachedSignResult>? Detached);

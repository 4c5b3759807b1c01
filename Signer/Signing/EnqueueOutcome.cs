namespace ExchangeGateway.Signer.Signing;

/// <summary>What happened to a request offered to a <see cref="KeyWorker"/>.</summary>
internal enum EnqueueOutcome
{
    /// <summary>Queued; its task completes when it is signed.</summary>
    Accepted,

    /// <summary>The queue is at its limit.</summary>
    Full,

    /// <summary>The worker was retired (its identity replaced or removed); look the member up again.</summary>
    Closed,
}

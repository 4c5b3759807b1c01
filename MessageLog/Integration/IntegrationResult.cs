namespace ExchangeGateway.MessageLog.Integration;

/// <summary>What one pass of <see cref="LogIntegrator.IntegrateOnceAsync"/> did.</summary>
/// <param name="TreeSize">Leaves in the tree after the pass.</param>
/// <param name="CreatedCheckpoint">The size of the checkpoint made in this pass, if any.</param>
/// <param name="StampedCheckpoint">The size of the checkpoint time-stamped in this pass, if any.</param>
/// <param name="Failure">Why signing, storing or time-stamping failed; null when the pass left nothing to retry.</param>
public sealed record IntegrationResult(long TreeSize, long? CreatedCheckpoint, long? StampedCheckpoint, string? Failure)
{
    /// <summary>True when the pass failed and should be retried after a back-off.</summary>
    public bool Failed => Failure is not null;
}

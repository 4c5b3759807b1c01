namespace ExchangeGateway.MessageLog.Storage;

/// <summary>Why <see cref="MessageLogProofs"/> could not serve a proof.</summary>
public enum MessageLogProofFailure
{
    /// <summary>No record has the asked sequence, or it is not below the asked tree size.</summary>
    UnknownSequence = 1,

    /// <summary>No checkpoint has the asked tree size: proofs are served only against signed checkpoints.</summary>
    NotACheckpoint,

    /// <summary>The sizes are negative, zero where a record is needed, or the old size is larger than the new.</summary>
    InvalidRange,

    /// <summary>The stored log contradicts itself: a record under a checkpoint is missing or its leaf hash is malformed.</summary>
    Inconsistent,
}

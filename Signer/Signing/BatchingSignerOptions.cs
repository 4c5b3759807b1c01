namespace ExchangeGateway.Signer.Signing;

/// <summary>Settings of <see cref="BatchingSigner"/>. Validated when the signer is built.</summary>
public sealed record BatchingSignerOptions
{
    /// <summary>The defaults.</summary>
    public static BatchingSignerOptions Default { get; } = new();

    /// <summary>
    /// The most messages one private-key operation covers. 256 keeps inclusion paths at 8 hashes
    /// (256 bytes) while making the signature's cost per message negligible even with RSA-3072.
    /// </summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>
    /// The most requests waiting for one key. Beyond it callers get <see cref="SignFailure.Overloaded"/>
    /// at once instead of a queue that grows without bound.
    /// </summary>
    public int MaxQueueLength { get; init; } = 16 * 1024;

    /// <summary>Throws when a setting is out of range (a configuration bug).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 1 << 20);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueueLength, 1);
    }
}

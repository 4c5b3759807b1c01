using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Integration;

namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>
/// A submission as far as it decoded: what is stored beside a refusal as its evidence, and, once every part
/// decoded, what the checks run on. Parts that did not decode are null.
/// </summary>
/// <param name="Server">The submitted server id text (at most 255 characters kept).</param>
internal sealed record SubmittedCheckpoint(string Server)
{
    /// <summary>The checkpoint's canonical bytes.</summary>
    public byte[]? Content { get; init; }

    /// <summary>The parsed checkpoint.</summary>
    public Checkpoint? Checkpoint { get; init; }

    /// <summary>The server's detached CMS signature over <see cref="Content"/>.</summary>
    public byte[]? Signature { get; init; }

    /// <summary>The RFC 3161 token over SHA-256(<see cref="Signature"/>).</summary>
    public byte[]? TimeStampToken { get; init; }

    /// <summary>The size the proof starts from.</summary>
    public long? FromSize { get; init; }

    /// <summary>The consistency proof as submitted (hex strings joined by commas), for the refusal record.</summary>
    public string? ConsistencyText { get; init; }

    /// <summary>The decoded consistency proof.</summary>
    public MerkleHash[]? Consistency { get; init; }
}

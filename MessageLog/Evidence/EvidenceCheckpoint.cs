namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>The signed, time-stamped checkpoint a bundle's records are proven against.</summary>
/// <param name="Content">The checkpoint's canonical five-line text (<see cref="Integration.Checkpoint"/>).</param>
/// <param name="Signature">Detached CMS SignedData over <paramref name="Content"/> by the server owner's signing key.</param>
/// <param name="TimeStampToken">RFC 3161 TimeStampToken (CMS ContentInfo DER) over SHA-256(<paramref name="Signature"/>).</param>
/// <param name="TsaUrl">The TSA that issued the token, for information; null when unknown.</param>
public sealed record EvidenceCheckpoint(
    ReadOnlyMemory<byte> Content,
    ReadOnlyMemory<byte> Signature,
    ReadOnlyMemory<byte> TimeStampToken,
    string? TsaUrl);

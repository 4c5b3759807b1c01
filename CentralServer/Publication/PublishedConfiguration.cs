namespace ExchangeGateway.CentralServer.Publication;

/// <summary>One published generation: the signed envelope as served, and where it sits in the publication log.</summary>
/// <param name="Serial">The configuration serial.</param>
/// <param name="GeneratedAt">Generation time.</param>
/// <param name="ExpiresAt">Expiry.</param>
/// <param name="RegistryVersion">The registry version it was generated from.</param>
/// <param name="Envelope">The signed-configuration envelope bytes (what <c>GET /globalconf</c> returns).</param>
/// <param name="ContentSha256">Hex SHA-256 of the canonical content (also the ETag).</param>
/// <param name="LogIndex">Its leaf index in the publication log.</param>
public sealed record PublishedConfiguration(
    long Serial,
    DateTimeOffset GeneratedAt,
    DateTimeOffset ExpiresAt,
    long RegistryVersion,
    byte[] Envelope,
    string ContentSha256,
    long LogIndex);

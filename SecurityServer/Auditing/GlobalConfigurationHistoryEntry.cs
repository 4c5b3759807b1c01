namespace ExchangeGateway.SecurityServer.Auditing;

/// <summary>One configuration kept in the <see cref="GlobalConfigurationHistory"/>.</summary>
/// <param name="Serial">Its serial; the file is <c>{serial}.signed.json</c>.</param>
/// <param name="GeneratedAt">When the Central Server generated it.</param>
/// <param name="RecordedAt">When this server swapped it in: from then on (until the next entry) its trust material was in force here.</param>
/// <param name="ContentSha256">SHA-256 of the signed content, lower-case hex.</param>
/// <param name="TrustSha256">SHA-256 of its trust material (<see cref="GlobalConfigurationHistory.TrustDigest"/>), lower-case hex.</param>
/// <param name="AnchorSha256">SHA-256 of the anchor file that verified it, lower-case hex; the file is <c>anchor-{sha256}.json</c>.</param>
public sealed record GlobalConfigurationHistoryEntry(
    long Serial,
    DateTimeOffset GeneratedAt,
    DateTimeOffset RecordedAt,
    string ContentSha256,
    string TrustSha256,
    string AnchorSha256);

namespace ExchangeGateway.TrustServices.Ca;

/// <summary>One certificate the dev CA issued, with its revocation state.</summary>
/// <param name="SerialHex">Upper-case hex serial, big-endian, as OpenSSL prints it.</param>
/// <param name="Subject">The subject DN.</param>
/// <param name="Profile">The profile it was issued under.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Der">The certificate.</param>
/// <param name="RevokedAt">When it was revoked; null while not revoked.</param>
/// <param name="RevocationReason">The RFC 5280 §5.3.1 CRLReason code, when revoked.</param>
public sealed record IssuedCertificate(
    string SerialHex,
    string Subject,
    CertificateProfile Profile,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    byte[] Der,
    DateTimeOffset? RevokedAt,
    int? RevocationReason);

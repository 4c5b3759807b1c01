namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// Everything read from an OCSPResponse, eagerly and into plain values, so that no BouncyCastle object
/// (some of which parse lazily and could throw later) escapes the reader.
/// </summary>
internal sealed class ParsedOcspResponse
{
    public required OcspResponseStatus ResponseStatus { get; init; }

    public string? ResponseType { get; init; }

    /// <summary>The tbsResponseData exactly as received: the signature covers these bytes (RFC 6960 §4.2.1).</summary>
    public byte[] TbsResponseData { get; init; } = [];

    public string SignatureAlgorithmOid { get; init; } = "";

    /// <summary>DER of the AlgorithmIdentifier parameters, if any (RSASSA-PSS needs them).</summary>
    public byte[]? SignatureAlgorithmParameters { get; init; }

    public byte[] Signature { get; init; } = [];

    /// <summary>ResponderID byKey: SHA-1 of the responder's public key (RFC 6960 §4.2.1).</summary>
    public byte[]? ResponderKeyHash { get; init; }

    /// <summary>ResponderID byName: the DER Name.</summary>
    public byte[]? ResponderName { get; init; }

    public DateTimeOffset ProducedAt { get; init; }

    public IReadOnlyList<ParsedSingleResponse> Responses { get; init; } = [];

    /// <summary>The nonce inside the id-pkix-ocsp-nonce extension, or null when absent.</summary>
    public byte[]? Nonce { get; init; }

    /// <summary>DER certificates from the certs field.</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];
}

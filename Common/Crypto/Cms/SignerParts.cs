namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>The raw parts of one SignerInfo.</summary>
internal sealed record SignerParts(
    ReadOnlyMemory<byte>? IssuerName,
    ReadOnlyMemory<byte>? SerialNumber,
    ReadOnlyMemory<byte>? SubjectKeyIdentifier,
    (string Oid, bool HasParameters) DigestAlgorithm,
    ReadOnlyMemory<byte>? SignedAttributesEncoded,
    IReadOnlyList<(string Oid, List<ReadOnlyMemory<byte>> Values)> SignedAttributes,
    string SignatureAlgorithm,
    bool SignatureAlgorithmHasParameters,
    byte[] Signature);

namespace ExchangeGateway.Common.Exchange;

/// <summary>One attachment of a SOAP message as a signed head lists it.</summary>
/// <param name="ContentId">The part's Content-ID without angle brackets; empty when it has none.</param>
/// <param name="ContentType">The part's Content-Type as sent.</param>
/// <param name="Length">The part body's length in bytes.</param>
/// <param name="Digest">SHA-512 of the part body.</param>
public sealed record AttachmentDigest(string ContentId, string ContentType, long Length, ReadOnlyMemory<byte> Digest);

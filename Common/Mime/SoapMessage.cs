using ExchangeGateway.Common.Soap;

namespace ExchangeGateway.Common.Mime;

/// <summary>
/// A SOAP message as received: plain (<c>text/xml</c>), SOAP with attachments or MTOM
/// (<c>multipart/related</c>). Parts are ranges into <see cref="Body"/>; nothing is copied.
/// </summary>
public sealed record SoapMessage
{
    /// <summary>The whole HTTP body as received.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The HTTP <c>Content-Type</c> as received.</summary>
    public required string ContentType { get; init; }

    /// <summary>True for <c>multipart/related</c> (SOAP with attachments or MTOM).</summary>
    public bool IsMultipart { get; init; }

    /// <summary>True when the SOAP part is <c>application/xop+xml</c> (MTOM).</summary>
    public bool IsMtom { get; init; }

    /// <summary>Where the SOAP part's bytes are in <see cref="Body"/>; the whole body for plain SOAP.</summary>
    public required Range SoapRange { get; init; }

    /// <summary>The SOAP part's bytes (<see cref="Body"/>[<see cref="SoapRange"/>]).</summary>
    public ReadOnlyMemory<byte> Soap => Body[SoapRange];

    /// <summary>What the SOAP part says.</summary>
    public required SoapEnvelope Envelope { get; init; }

    /// <summary>The SOAP part itself with its headers; null for plain SOAP.</summary>
    public MimePart? SoapPart { get; init; }

    /// <summary>The parts other than the SOAP part, in order (normally those after it); empty for plain SOAP.</summary>
    public IReadOnlyList<MimePart> Attachments { get; init; } = [];

    /// <summary>
    /// <see cref="Body"/> with the SOAP part's bytes replaced by <paramref name="newSoap"/>: every other
    /// byte (preamble, boundaries, part headers, attachments, epilogue) stays as it was. The caller keeps
    /// <paramref name="newSoap"/> free of the boundary (an edit that only inserts base64 and X-Road
    /// elements cannot introduce one).
    /// </summary>
    public byte[] WithSoap(ReadOnlySpan<byte> newSoap)
    {
        var body = Body.Span;
        var (start, length) = SoapRange.GetOffsetAndLength(body.Length);
        var result = new byte[body.Length - length + newSoap.Length];
        body[..start].CopyTo(result);
        newSoap.CopyTo(result.AsSpan(start));
        body[(start + length)..].CopyTo(result.AsSpan(start + newSoap.Length));
        return result;
    }
}

using System.Buffers.Text;
using System.Text;

namespace ExchangeGateway.Common.Soap;

/// <summary>Edits a provider's SOAP response in place of bytes, so everything the provider wrote stays byte-for-byte as it was.</summary>
public static class SoapResponseEditor
{
    private static readonly byte[] Open = Encoding.ASCII.GetBytes(
        $"<xrd:requestHash xmlns:xrd=\"{SoapNamespaces.XRoad}\" algorithmId=\"{SoapRequestHash.AlgorithmId}\">");

    private static readonly byte[] Close = "</xrd:requestHash>"u8.ToArray();

    /// <summary>
    /// <paramref name="soap"/> with <c>&lt;xrd:requestHash xmlns:xrd="…" algorithmId="…"&gt;hash&lt;/xrd:requestHash&gt;</c>
    /// inserted just before the Header's end tag; every other byte is unchanged. The element declares its
    /// own prefix, so it is correct whatever prefixes the provider bound.
    /// </summary>
    /// <param name="soap">The response's SOAP bytes, exactly those <paramref name="envelope"/> was read from.</param>
    /// <param name="envelope">The envelope <see cref="SoapEnvelopeReader.ReadResponse"/> returned for <paramref name="soap"/>.</param>
    /// <param name="requestHash">The base64 digest from <see cref="SoapRequestHash.Compute"/>.</param>
    /// <exception cref="ArgumentException">
    /// The envelope has no Header, already has a request hash, or does not match the bytes; or the hash is not base64.
    /// A response that already carries <c>xrd:requestHash</c> must be refused by the caller, not edited.
    /// </exception>
    public static byte[] InsertRequestHash(ReadOnlySpan<byte> soap, SoapEnvelope envelope, string requestHash)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentException.ThrowIfNullOrEmpty(requestHash);
        var at = envelope.HeaderEndOffset;
        if (envelope.Header is null || at < 0)
        {
            throw new ArgumentException("The response has no SOAP Header to add the request hash to.", nameof(envelope));
        }

        if (envelope.Header.RequestHash is not null)
        {
            throw new ArgumentException("The response already carries xrd:requestHash.", nameof(envelope));
        }

        if (at + 2 > soap.Length || soap[at] != (byte)'<' || soap[at + 1] != (byte)'/')
        {
            throw new ArgumentException("The envelope was not read from these bytes: no end tag at its HeaderEndOffset.", nameof(envelope));
        }

        if (!Base64.IsValid(requestHash) || requestHash.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("The request hash is not base64.", nameof(requestHash));
        }

        var result = new byte[soap.Length + Open.Length + requestHash.Length + Close.Length];
        var span = result.AsSpan();
        soap[..at].CopyTo(span);
        var w = at;
        Open.CopyTo(span[w..]);
        w += Open.Length;
        w += Encoding.ASCII.GetBytes(requestHash, span[w..]);
        Close.CopyTo(span[w..]);
        w += Close.Length;
        soap[at..].CopyTo(span[w..]);
        return result;
    }
}

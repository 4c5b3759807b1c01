using System.Buffers.Binary;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// The envelope between security servers, in both directions: the HTTP body is
/// <c>"XGW1" ‖ u32 len ‖ head ‖ u32 len ‖ signature ‖ u32 len ‖ signing OCSP ‖ u32 len ‖ authentication OCSP ‖ body</c>
/// (big-endian lengths), where the body is exactly <c>bodyLength</c> bytes from the head. The small parts
/// come first so the receiver can check the head and size before it reads a byte of the body, and the
/// body then streams without any second framing.
/// </summary>
public static class EnvelopeFrame
{
    /// <summary>The media type of an envelope.</summary>
    public const string MediaType = "application/vnd.xgw.envelope";

    /// <summary>The path the server proxy accepts REST envelopes on.</summary>
    public const string RestPath = "/xgw/v1/rest";

    /// <summary>The path the server proxy accepts SOAP envelopes on.</summary>
    public const string SoapPath = "/xgw/v1/soap";

    /// <summary>The longest signature part accepted.</summary>
    public const int MaxSignatureBytes = 64 * 1024;

    /// <summary>The longest OCSP part accepted (matches the OCSP verifier's limit).</summary>
    public const int MaxOcspBytes = 64 * 1024;

    private const string InvalidEnvelope = "invalid_envelope";
    private static ReadOnlySpan<byte> Magic => "XGW1"u8;

    /// <summary>The bytes before the body.</summary>
    public static byte[] WritePrefix(EnvelopePrefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var length = Magic.Length + 16 + prefix.Head.Length + prefix.Signature.Length + prefix.SigningOcsp.Length + prefix.AuthenticationOcsp.Length;
        var result = new byte[length];
        var span = result.AsSpan();
        Magic.CopyTo(span);
        var at = Magic.Length;
        foreach (var part in new[] { prefix.Head, prefix.Signature, prefix.SigningOcsp, prefix.AuthenticationOcsp })
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)part.Length);
            at += 4;
            part.CopyTo(span[at..]);
            at += part.Length;
        }

        return result;
    }

    /// <summary>Reads the prefix from <paramref name="stream"/>, leaving it positioned at the first body byte.</summary>
    public static async ValueTask<ParseResult<EnvelopePrefix>> ReadPrefixAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var magic = new byte[Magic.Length];
        if (!await ReadExactlyOrEndAsync(stream, magic, cancellationToken).ConfigureAwait(false) || !magic.AsSpan().SequenceEqual(Magic))
        {
            return ParseResult<EnvelopePrefix>.Fail(InvalidEnvelope, "the body is not an ExchangeGateway envelope (XGW1).");
        }

        var head = await ReadPartAsync(stream, HeadCodec.MaxHeadBytes, cancellationToken).ConfigureAwait(false);
        var signature = head is null ? null : await ReadPartAsync(stream, MaxSignatureBytes, cancellationToken).ConfigureAwait(false);
        var ocsp = signature is null ? null : await ReadPartAsync(stream, MaxOcspBytes, cancellationToken).ConfigureAwait(false);
        var authOcsp = ocsp is null ? null : await ReadPartAsync(stream, MaxOcspBytes, cancellationToken).ConfigureAwait(false);
        return authOcsp is null
            ? ParseResult<EnvelopePrefix>.Fail(InvalidEnvelope, "an envelope part is truncated or longer than its limit.")
            : ParseResult<EnvelopePrefix>.Ok(new EnvelopePrefix(head!, signature!, ocsp!, authOcsp));
    }

    private static async ValueTask<byte[]?> ReadPartAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        var lengthBytes = new byte[4];
        if (!await ReadExactlyOrEndAsync(stream, lengthBytes, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(lengthBytes);
        if (length > (uint)max)
        {
            return null;
        }

        var part = new byte[length];
        return await ReadExactlyOrEndAsync(stream, part, cancellationToken).ConfigureAwait(false) ? part : null;
    }

    private static async ValueTask<bool> ReadExactlyOrEndAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return read == buffer.Length;
    }
}

using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Serialization;

namespace ExchangeGateway.Config.Signing;

/// <summary>
/// The download format of a <see cref="SignedConfiguration"/>: canonical UTF-8 JSON
/// <c>{"content":"base64","formatVersion":1,"signature":"base64"}</c>, media type
/// <see cref="MediaType"/>. The signed bytes are exactly the base64-decoded <c>content</c>; the
/// envelope itself is not signed (changing it changes the content or the signature, and either fails
/// verification).
/// </summary>
public static class SignedConfigurationEnvelope
{
    /// <summary>The media type served by the Central Server.</summary>
    public const string MediaType = "application/vnd.exchangegateway.signed-global-conf+json";

    /// <summary>The format version written to, and required in, every envelope.</summary>
    public const int FormatVersion = 1;

    /// <summary>The largest signature accepted: 256 KiB (a signer certificate and a short chain fit easily).</summary>
    public const int MaxSignatureBytes = 256 * 1024;

    /// <summary>The largest envelope that can carry content of <paramref name="maxContentBytes"/> bytes.</summary>
    public static long MaxEnvelopeBytes(int maxContentBytes) =>
        (4L * ((maxContentBytes + 2L) / 3)) + (4L * ((MaxSignatureBytes + 2L) / 3)) + 128;

    /// <summary>Writes the envelope.</summary>
    public static byte[] Write(SignedConfiguration signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        if (signed.Signature.Length > MaxSignatureBytes)
        {
            throw new ArgumentException($"The signature is longer than {MaxSignatureBytes} bytes.", nameof(signed));
        }

        var w = new CanonicalJsonWriter();
        WriteObject(w, signed);
        return w.ToUtf8();
    }

    /// <summary>
    /// Reads an envelope strictly. Content larger than <paramref name="maxContentBytes"/> is left for
    /// the verifier to reject as too large; the envelope itself is capped at <see cref="MaxEnvelopeBytes"/>.
    /// </summary>
    public static ParseResult<SignedConfiguration> Read(ReadOnlyMemory<byte> bytes, int maxContentBytes = GlobalConfigurationSerializer.DefaultMaxBytes)
    {
        var cap = (int)Math.Min(int.MaxValue, MaxEnvelopeBytes(maxContentBytes));
        return StrictJson.Read(bytes, cap, "signed configuration envelope", ReadObject, s =>
        {
            var w = new CanonicalJsonWriter();
            WriteObject(w, s);
            return w.ToUtf8();
        });
    }

    private static void WriteObject(CanonicalJsonWriter w, SignedConfiguration signed)
    {
        w.StartObject();
        w.String("content", Convert.ToBase64String(signed.Content.Span));
        w.Number("formatVersion", FormatVersion);
        w.String("signature", Convert.ToBase64String(signed.Signature.Span));
        w.EndObject();
    }

    private static SignedConfiguration ReadObject(StrictObject o)
    {
        var version = StrictJson.Integer(o.Required("formatVersion"), o.At("formatVersion"));
        if (version != FormatVersion)
        {
            throw new ConfigurationFormatException($"formatVersion {version} is not supported (expected {FormatVersion})");
        }

        var content = StrictJson.Base64(o.Required("content"), o.At("content"));
        var signature = StrictJson.Base64(o.Required("signature"), o.At("signature"));
        if (signature.Length is 0 or > MaxSignatureBytes)
        {
            throw new ConfigurationFormatException($"the signature must be 1 to {MaxSignatureBytes} bytes");
        }

        o.End();
        return new SignedConfiguration(content, signature);
    }
}

using System.Security.Cryptography;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Mime;
using ExchangeGateway.Common.Soap;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>The digests a SOAP head lists, computed from the parsed message, and their comparison with a signed head.</summary>
internal static class SoapParts
{
    public const string ContentTypeHeader = "content-type";
    public const string SoapActionHeader = "soapaction";

    /// <summary>SHA-512 of the SOAP part and of each attachment.</summary>
    public static (byte[] SoapDigest, List<AttachmentDigest> Attachments) Digest(SoapMessage message)
    {
        var soapDigest = SHA512.HashData(message.Soap.Span);
        var attachments = new List<AttachmentDigest>(message.Attachments.Count);
        foreach (var part in message.Attachments)
        {
            var bytes = message.Body.Span[part.Range];
            attachments.Add(new AttachmentDigest(part.ContentId ?? string.Empty, part.ContentType, bytes.Length, SHA512.HashData(bytes)));
        }

        return (soapDigest, attachments);
    }

    /// <summary>True when <paramref name="message"/>'s parts are exactly those the signed head lists.</summary>
    public static bool Match(SoapMessage message, ReadOnlySpan<byte> soapDigest, long soapLength, IReadOnlyList<AttachmentDigest> signed)
    {
        if (message.Soap.Length != soapLength || message.Attachments.Count != signed.Count)
        {
            return false;
        }

        var (digest, attachments) = Digest(message);
        if (!CryptographicOperations.FixedTimeEquals(digest, soapDigest))
        {
            return false;
        }

        for (var i = 0; i < attachments.Count; i++)
        {
            var (a, b) = (attachments[i], signed[i]);
            if (a.Length != b.Length || !string.Equals(a.ContentId, b.ContentId, StringComparison.Ordinal)
                || !string.Equals(a.ContentType, b.ContentType, StringComparison.Ordinal) || !CryptographicOperations.FixedTimeEquals(a.Digest.Span, b.Digest.Span))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>repr:representedParty</c> as the head writes it: <c>[CLASS/]CODE</c>.</summary>
    public static string? PartyText(RepresentedParty? party) =>
        party is null ? null : party.PartyClass is null ? party.PartyCode : $"{party.PartyClass}/{party.PartyCode}";

    /// <summary>The value of <paramref name="name"/> in a head's header list, or null.</summary>
    public static string? Find(IReadOnlyList<MessageHeader> headers, string name)
    {
        foreach (var h in headers)
        {
            if (string.Equals(h.Name, name, StringComparison.Ordinal))
            {
                return h.Value;
            }
        }

        return null;
    }
}

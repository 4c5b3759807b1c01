using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// Builds unsigned DER OCSPRequests (RFC 6960 §4.1.1). Requests are not signed: RFC 6960 §4.1.2 makes
/// the signature optional and the federation's responders do not ask for one.
/// </summary>
public static class OcspRequestBuilder
{
    /// <summary>The nonce length we generate: 32 octets, the maximum RFC 8954 §2.1 allows.</summary>
    public const int NonceLength = 32;

    /// <summary>A fresh random nonce of <see cref="NonceLength"/> octets.</summary>
    public static byte[] CreateNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    /// <summary>A request for one certificate.</summary>
    /// <param name="certificate">The certificate whose status is asked.</param>
    /// <param name="issuer">Its issuing CA.</param>
    /// <param name="nonce">Optional nonce (1 to 32 octets, RFC 8954 §2.1); empty for none.</param>
    /// <param name="hashAlgorithm">CertID hash; SHA-256 by default.</param>
    public static byte[] Build(X509Certificate2 certificate, X509Certificate2 issuer, ReadOnlySpan<byte> nonce = default, HashAlgorithmName? hashAlgorithm = null) =>
        Build([OcspCertificateId.Create(certificate, issuer, hashAlgorithm)], nonce);

    /// <summary>A request for several CertIDs with an optional nonce.</summary>
    public static byte[] Build(IEnumerable<OcspCertificateId> certificateIds, ReadOnlySpan<byte> nonce = default)
    {
        ArgumentNullException.ThrowIfNull(certificateIds);
        var ids = certificateIds.ToList();
        if (ids.Count == 0)
        {
            throw new ArgumentException("At least one CertID is required.", nameof(certificateIds));
        }

        if (nonce.Length > NonceLength)
        {
            throw new ArgumentException($"A nonce is at most {NonceLength} octets (RFC 8954 §2.1).", nameof(nonce));
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence()) // OCSPRequest
        using (writer.PushSequence()) // TBSRequest; version v1 is the DEFAULT, so DER omits it.
        {
            using (writer.PushSequence()) // requestList
            {
                foreach (var id in ids)
                {
                    using (writer.PushSequence()) // Request
                    {
                        writer.WriteEncodedValue(id.Encode());
                    }
                }
            }

            if (!nonce.IsEmpty)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2))) // requestExtensions [2] EXPLICIT
                using (writer.PushSequence()) // Extensions
                {
                    WriteNonceExtension(writer, nonce);
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>Writes the id-pkix-ocsp-nonce Extension: extnValue wraps an OCTET STRING holding the nonce (RFC 8954 §2.1).</summary>
    private static void WriteNonceExtension(AsnWriter writer, ReadOnlySpan<byte> nonce)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oids.OcspNonce);
            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(nonce);
            writer.WriteOctetString(inner.Encode());
        }
    }
}

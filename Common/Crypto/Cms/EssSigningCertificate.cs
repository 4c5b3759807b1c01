using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>
/// The ESS signing-certificate attributes that bind a CMS signature to one certificate, so that a
/// verifier cannot be offered a different certificate with the same key (RFC 2634 §5.4, RFC 5035 §3).
/// </summary>
public static class EssSigningCertificate
{
    /// <summary>Encodes SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with SHA-256 (the default, so hashAlgorithm is omitted).</summary>
    public static AsnEncodedData CreateV2(X509Certificate2 certificate)
    {
        var hash = SHA256.HashData(certificate.RawData);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    // RFC 5035 §4: hashAlgorithm DEFAULT id-sha256, so DER omits it.
                    writer.WriteOctetString(hash);
                    WriteIssuerSerial(writer, certificate);
                }
            }
        }

        return new AsnEncodedData(Oids.SigningCertificateV2, writer.Encode());
    }

    /// <summary>
    /// Checks whichever ESS attribute is present against <paramref name="signer"/>. Returns null when
    /// neither is present, true when one matches, false when one names another certificate or is malformed.
    /// </summary>
    public static bool? Matches(CryptographicAttributeObjectCollection signedAttributes, X509Certificate2 signer)
    {
        foreach (var attribute in signedAttributes)
        {
            var oid = attribute.Oid.Value;
            if (oid is not (Oids.SigningCertificateV2 or Oids.SigningCertificate))
            {
                continue;
            }

            if (attribute.Values.Count != 1)
            {
                return false;
            }

            var id = EssCertificateId.Read(attribute.Values[0].RawData, v2: oid == Oids.SigningCertificateV2);
            return id.IsValid && id.Value.Matches(signer);
        }

        return null;
    }

    private static void WriteIssuerSerial(AsnWriter writer, X509Certificate2 certificate)
    {
        // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                // GeneralName directoryName [4] EXPLICIT Name.
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                {
                    writer.WriteEncodedValue(certificate.IssuerName.RawData);
                }
            }

            writer.WriteInteger(certificate.SerialNumberBytes.Span);
        }
    }
}

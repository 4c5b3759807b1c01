using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>
/// The ESS signing-certificate attributes that bind a CMS signature to one certificate, so that a
/// verifier cannot be offered a different certificate with the same key (RFC 2634 §5.4, RFC 5035 §3).
/// </summary>
internal static class EssSigningCertificate
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
    /// neither is present, true when one matches, false when one names another certificate.
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

            try
            {
                return FirstCertIdMatches(attribute.Values[0].RawData, signer, v2: oid == Oids.SigningCertificateV2);
            }
            catch (AsnContentException)
            {
                return false;
            }
            catch (CryptographicException)
            {
                return false;
            }
        }

        return null;
    }

    private static bool FirstCertIdMatches(byte[] encoded, X509Certificate2 signer, bool v2)
    {
        var outer = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        var certs = outer.ReadSequence();

        // RFC 5035 §3: the first ESSCertID identifies the signer's certificate.
        var first = certs.ReadSequence();
        var hashAlgorithm = HashAlgorithmName.SHA1;
        if (v2)
        {
            hashAlgorithm = HashAlgorithmName.SHA256;
            if (first.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var algorithm = first.ReadSequence();
                var oid = algorithm.ReadObjectIdentifier();
                if (!CryptoPolicy.TryGetHashAlgorithm(oid, out hashAlgorithm))
                {
                    return false;
                }
            }
        }

        var expected = first.ReadOctetString();
        var actual = hashAlgorithm == HashAlgorithmName.SHA1
            ? SHA1.HashData(signer.RawData)
            : CryptographicOperations.HashData(hashAlgorithm, signer.RawData);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
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

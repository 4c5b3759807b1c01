using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>
/// The first <c>ESSCertID</c> (RFC 2634 §5.4) or <c>ESSCertIDv2</c> (RFC 5035 §3, profiled for
/// time-stamps by RFC 5816 §2.2.1) of a signing-certificate attribute: the hash of the signer's
/// certificate and, optionally, its issuer and serial number.
/// </summary>
internal sealed class EssCertificateId
{
    private EssCertificateId(HashAlgorithmName hashAlgorithm, byte[] certificateHash, byte[]? issuerName, byte[]? serialNumber)
    {
        HashAlgorithm = hashAlgorithm;
        CertificateHash = certificateHash;
        IssuerName = issuerName;
        SerialNumber = serialNumber;
    }

    public HashAlgorithmName HashAlgorithm { get; }

    public byte[] CertificateHash { get; }

    /// <summary>The DER <c>Name</c> of the issuer when <c>issuerSerial</c> is present.</summary>
    public byte[]? IssuerName { get; }

    public byte[]? SerialNumber { get; }

    /// <summary>
    /// Reads a <c>SigningCertificate</c> (v1, SHA-1 hash implied) or <c>SigningCertificateV2</c>
    /// attribute value: <see cref="TrustFailure.SignedAttributeInvalid"/> when malformed,
    /// <see cref="TrustFailure.WeakAlgorithm"/> when its hash is not allowed.
    /// </summary>
    public static VerificationResult<EssCertificateId> Read(byte[] attributeValue, bool v2)
    {
        try
        {
            var reader = new AsnReader(attributeValue, AsnEncodingRules.DER);
            var signingCertificate = reader.ReadSequence();
            reader.ThrowIfNotEmpty();

            // Only the first ESSCertID matters: RFC 5035 §3 and RFC 2634 §5.4 say it identifies the
            // signer's certificate; the rest (and the policies) only narrow path building.
            var certs = signingCertificate.ReadSequence();
            var certId = certs.ReadSequence();

            HashAlgorithmName hash = HashAlgorithmName.SHA1;
            if (v2)
            {
                // hashAlgorithm DEFAULT id-sha256 (RFC 5035 §3): absent in DER when it is SHA-256.
                hash = HashAlgorithmName.SHA256;
                if (certId.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    var algorithm = certId.ReadSequence();
                    var oid = algorithm.ReadObjectIdentifier();
                    if (!CryptoPolicy.TryGetHashAlgorithm(oid, out hash))
                    {
                        return VerificationResult<EssCertificateId>.From(
                            CryptoPolicy.CheckDigestAlgorithm(oid, "ESSCertIDv2"));
                    }
                }
            }

            var certHash = certId.ReadOctetString();
            byte[]? issuer = null;
            byte[]? serial = null;
            if (certId.HasData)
            {
                // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
                var issuerSerial = certId.ReadSequence();
                var names = issuerSerial.ReadSequence();
                var directoryNameTag = new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true);
                if (names.PeekTag().HasSameClassAndValue(directoryNameTag))
                {
                    var directoryName = names.ReadSequence(directoryNameTag);
                    issuer = directoryName.ReadEncodedValue().ToArray();
                }

                serial = issuerSerial.ReadIntegerBytes().ToArray();
            }

            return VerificationResult<EssCertificateId>.Ok(new EssCertificateId(hash, certHash, issuer, serial));
        }
        catch (AsnContentException ex)
        {
            return VerificationResult<EssCertificateId>.Fail(TrustFailure.SignedAttributeInvalid, $"signing-certificate attribute is malformed: {ex.Message}");
        }
    }

    /// <summary>True when this identifier names <paramref name="certificate"/>.</summary>
    public bool Matches(X509Certificate2 certificate)
    {
        Span<byte> buffer = stackalloc byte[64];
        if (!certificate.TryGetCertHash(HashAlgorithm, buffer, out var written)
            || !buffer[..written].SequenceEqual(CertificateHash))
        {
            return false;
        }

        if (IssuerName is not null && !certificate.IssuerName.RawData.AsSpan().SequenceEqual(IssuerName))
        {
            return false;
        }

        return SerialNumber is null
            || new BigInteger(SerialNumber, isUnsigned: false, isBigEndian: true)
                == new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true);
    }
}

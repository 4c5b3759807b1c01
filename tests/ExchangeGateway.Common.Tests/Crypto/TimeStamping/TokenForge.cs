using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto;
using ExchangeGateway.Common.Crypto.TimeStamping;

namespace ExchangeGateway.Common.Tests.Crypto.TimeStamping;

/// <summary>Builds time-stamp tokens our TSA would never issue, for negative tests.</summary>
internal static class TokenForge
{
    public const string Policy = "1.2.3.4.1";

    public static byte[] TstInfo(string hashOid, byte[] hash, DateTimeOffset genTime, byte[]? nonce = null)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(1);
            w.WriteObjectIdentifier(Policy);
            using (w.PushSequence())
            {
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(hashOid);
                }

                w.WriteOctetString(hash);
            }

            w.WriteInteger(12345);
            w.WriteGeneralizedTime(genTime);
            if (nonce is not null)
            {
                w.WriteInteger(nonce);
            }
        }

        return w.Encode();
    }

    public enum Ess
    {
        None,
        V1,
        V2,
    }

    /// <summary>Signs a TSTInfo with <paramref name="signer"/>, naming <paramref name="essFor"/> in the ESS attribute.</summary>
    public static byte[] Sign(byte[] tstInfo, X509Certificate2 signer, X509Certificate2? essFor, Ess ess = Ess.V2, params X509Certificate2[] extraCertificates)
    {
        var cms = new SignedCms(new ContentInfo(new Oid(Oids.TstInfo), tstInfo), detached: false);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer)
        {
            DigestAlgorithm = new Oid(Oids.Sha256),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        cmsSigner.Certificates.AddRange(extraCertificates);
        if (essFor is not null && ess != Ess.None)
        {
            cmsSigner.SignedAttributes.Add(new AsnEncodedData(
                ess == Ess.V2 ? Oids.SigningCertificateV2 : Oids.SigningCertificate,
                EncodeEss(essFor, ess == Ess.V2)));
        }
        else
        {
            // Keep a signed-attribute set (content-type, message-digest) without any ESS attribute.
            cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(DateTime.UtcNow));
        }

        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }

    private static byte[] EncodeEss(X509Certificate2 cert, bool v2)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence())
            {
                using (w.PushSequence())
                {
                    w.WriteOctetString(cert.GetCertHash(v2 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1));
                }
            }
        }

        return w.Encode();
    }

    /// <summary>Reads status and failInfo of a TimeStampResp.</summary>
    public static (PkiStatus Status, PkiFailureInfo FailInfo, bool HasToken) ReadStatus(byte[] response)
    {
        var reader = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
        var statusInfo = reader.ReadSequence();
        var status = (PkiStatus)(int)statusInfo.ReadInteger();
        var fail = PkiFailureInfo.None;
        if (statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            statusInfo.ReadSequence();
        }

        if (statusInfo.HasData)
        {
            fail = statusInfo.ReadNamedBitListValue<PkiFailureInfo>();
        }

        return (status, fail, reader.HasData);
    }
}

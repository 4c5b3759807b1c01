using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.TrustServices.Tsa;

/// <summary>
/// A development RFC 3161 time-stamping authority: turns a DER <c>TimeStampReq</c> into a DER
/// <c>TimeStampResp</c>. Tokens are CMS SignedData over a DER TSTInfo, signed with the TSA's .NET key
/// (no BouncyCastle: PERFORMANCE.md), carrying the RFC 5816 ESS signing-certificate-v2 attribute.
/// It signs with whatever certificate it is given, so tests can make tokens a verifier must refuse.
/// Thread-safe. Not for production.
/// </summary>
public sealed class TimeStampAuthority
{
    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _time;
    private readonly AsnEncodedData _signingCertificateV2;

    /// <summary>Creates the TSA.</summary>
    /// <param name="certificate">The TSA certificate with its private key (ECDSA or RSA).</param>
    /// <param name="time">The TSA's clock: genTime comes from here.</param>
    /// <param name="options">Policy and accuracy; defaults when null.</param>
    public TimeStampAuthority(X509Certificate2 certificate, TimeProvider time, TimeStampAuthorityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(time);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The TSA certificate must carry its private key.", nameof(certificate));
        }

        Options = options ?? new TimeStampAuthorityOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Accuracy, TimeSpan.Zero, nameof(options));
        _ = new Oid(Options.PolicyOid);
        _certificate = certificate;
        _time = time;
        _signingCertificateV2 = EssSigningCertificate.CreateV2(certificate);
    }

    /// <summary>The TSA certificate (with key).</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>The settings in force.</summary>
    public TimeStampAuthorityOptions Options { get; }

    /// <summary>
    /// Answers a request. Never throws for bad input: a request the TSA will not serve gets a
    /// <c>TimeStampResp</c> with status <c>rejection</c> and a <c>PKIFailureInfo</c> (RFC 3161 §2.4.2).
    /// </summary>
    public byte[] Respond(ReadOnlyMemory<byte> request)
    {
        if (!Rfc3161TimestampRequest.TryDecode(request, out var req, out var consumed) || consumed != request.Length)
        {
            return Reject(PkiFailureInfo.BadDataFormat, "The request is not a DER TimeStampReq.");
        }

        if (req.Version != 1)
        {
            return Reject(PkiFailureInfo.BadRequest, $"TimeStampReq version {req.Version} is not supported.");
        }

        // §2.4.1: "If the hash algorithm is not recognized or known to be weak ... the server SHOULD
        // refuse to provide a time-stamp token by returning a pkiStatusInfo of 'badAlg'."
        var hashOid = req.HashAlgorithmId.Value;
        if (!CryptoPolicy.TryGetHashAlgorithm(hashOid, out var hashAlgorithm))
        {
            return Reject(PkiFailureInfo.BadAlg, $"Hash algorithm {hashOid} is not accepted; use SHA-256, SHA-384 or SHA-512.");
        }

        if (req.GetMessageHash().Length != HashSize(hashAlgorithm))
        {
            return Reject(PkiFailureInfo.BadDataFormat, $"The imprint is not a {hashAlgorithm.Name} hash.");
        }

        if (req.RequestedPolicyId is { } policy && policy.Value != Options.PolicyOid)
        {
            return Reject(PkiFailureInfo.UnacceptedPolicy, $"Policy {policy.Value} is not served; this TSA issues under {Options.PolicyOid}.");
        }

        // §2.4.1: an extension the server does not recognise, critical or not, is refused.
        if (req.HasExtensions)
        {
            return Reject(PkiFailureInfo.UnacceptedExtension, "This TSA supports no request extensions.");
        }

        byte[] tstInfo;
        try
        {
            tstInfo = EncodeTstInfo(request, req.GetNonce());
        }
        catch (AsnContentException)
        {
            return Reject(PkiFailureInfo.BadDataFormat, "The request's imprint or nonce is not valid DER.");
        }
        catch (ArgumentException)
        {
            return Reject(PkiFailureInfo.BadDataFormat, "The request's nonce is not a minimal DER INTEGER.");
        }

        var token = Sign(tstInfo, req.RequestSignerCertificate);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger((int)PkiStatus.Granted);
            }

            writer.WriteEncodedValue(token);
        }

        return writer.Encode();
    }

    private byte[] EncodeTstInfo(ReadOnlyMemory<byte> request, ReadOnlyMemory<byte>? nonce)
    {
        // The imprint is echoed byte for byte (§2.4.2: "MUST have the same value as the similar field
        // in TimeStampReq"), so read it from the request rather than rebuild it.
        var reader = new AsnReader(request, AsnEncodingRules.DER);
        var timeStampReq = reader.ReadSequence();
        timeStampReq.ReadInteger();
        var imprint = timeStampReq.ReadEncodedValue();

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteObjectIdentifier(Options.PolicyOid);
            writer.WriteEncodedValue(imprint.Span);

            // §2.4.2: serialNumber is unique per TSA; 128 random bits, positive, as for certificates.
            writer.WriteInteger(CertificateAuthority.NewSerialNumber());

            // GeneralizedTime in UTC; DER drops trailing zeros of the fraction (§2.4.2 allows it).
            writer.WriteGeneralizedTime(_time.GetUtcNow(), omitFractionalSeconds: false);
            WriteAccuracy(writer, Options.Accuracy);

            // ordering DEFAULT FALSE: omitted in DER (X.690 §11.5).
            if (nonce is { } n)
            {
                writer.WriteInteger(n.Span);
            }
        }

        return writer.Encode();
    }

    private static void WriteAccuracy(AsnWriter writer, TimeSpan accuracy)
    {
        if (accuracy <= TimeSpan.Zero)
        {
            return;
        }

        // Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL, micros [1] INTEGER (1..999) OPTIONAL }
        var totalMicros = (long)accuracy.TotalMicroseconds;
        var seconds = totalMicros / 1_000_000;
        var millis = totalMicros / 1000 % 1000;
        var micros = totalMicros % 1000;
        using (writer.PushSequence())
        {
            if (seconds > 0)
            {
                writer.WriteInteger(seconds);
            }

            if (millis > 0)
            {
                writer.WriteInteger(millis, new Asn1Tag(TagClass.ContextSpecific, 0));
            }

            if (micros > 0)
            {
                writer.WriteInteger(micros, new Asn1Tag(TagClass.ContextSpecific, 1));
            }
        }
    }

    private byte[] Sign(byte[] tstInfo, bool includeCertificate)
    {
        // §2.4.2: eContentType id-ct-TSTInfo, eContent the DER TSTInfo, encapsulated (not detached).
        var cms = new SignedCms(new ContentInfo(new Oid(Oids.TstInfo), tstInfo), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _certificate)
        {
            DigestAlgorithm = new Oid(Oids.Sha256),

            // §2.4.1 certReq: the TSA certificate "MUST be provided" when true, and left out otherwise.
            IncludeOption = includeCertificate ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
        };

        // CmsSigner adds content-type and message-digest itself once there are signed attributes and
        // the content is not id-data (RFC 5652 §5.3). ESS signing-certificate-v2 per RFC 5816 §2.2.1.
        signer.SignedAttributes.Add(_signingCertificateV2);
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private static byte[] Reject(PkiFailureInfo failure, string text)
    {
        // TimeStampResp ::= SEQUENCE { status PKIStatusInfo } with no token (§2.4.2).
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger((int)PkiStatus.Rejection);
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, text);
                }

                writer.WriteNamedBitList(failure);
            }
        }

        return writer.Encode();
    }

    private static int HashSize(HashAlgorithmName name) =>
        name == HashAlgorithmName.SHA256 ? SHA256.HashSizeInBytes
        : name == HashAlgorithmName.SHA384 ? SHA384.HashSizeInBytes
        : SHA512.HashSizeInBytes;
}

using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Ocsp;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using BcResponseStatus = Org.BouncyCastle.Asn1.Ocsp.OcspResponseStatus;
using ResponseStatus = ExchangeGateway.Common.Crypto.Ocsp.OcspResponseStatus;

namespace ExchangeGateway.TrustServices.Ocsp;

/// <summary>
/// Builds DER OCSPResponses (RFC 6960 §4.2.1) signed with a .NET key. Every field can be set, so tests
/// can craft wrong ones on purpose: another CertID, a foreign signer, a stale or future thisUpdate, a
/// passed nextUpdate, a tampered signature, a ResponderID naming someone else. Not thread-safe; build
/// one per response.
/// </summary>
public sealed class OcspResponseBuilder
{
    private readonly List<OcspResponseEntry> _responses = [];

    /// <summary>Creates a builder.</summary>
    /// <param name="signer">The certificate whose private key signs (the CA itself or a delegated responder).</param>
    /// <param name="producedAt">ResponseData.producedAt.</param>
    public OcspResponseBuilder(X509Certificate2 signer, DateTimeOffset producedAt)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (!signer.HasPrivateKey)
        {
            throw new ArgumentException("The signer certificate must carry its private key.", nameof(signer));
        }

        Signer = signer;
        ProducedAt = producedAt;
    }

    /// <summary>The certificate whose key signs the response.</summary>
    public X509Certificate2 Signer { get; }

    /// <summary>ResponseData.producedAt.</summary>
    public DateTimeOffset ProducedAt { get; set; }

    /// <summary>The certificate the ResponderID names; <see cref="Signer"/> when null.</summary>
    public X509Certificate2? ResponderIdCertificate { get; set; }

    /// <summary>ResponderID byName instead of byKey (RFC 6960 §4.2.1 allows both; byKey is the default, as in RFC 5019 §2.2.3).</summary>
    public bool ResponderIdByName { get; set; }

    /// <summary>The nonce to echo (RFC 8954), written as an OCTET STRING inside extnValue; empty for none.</summary>
    public ReadOnlyMemory<byte> Nonce { get; set; }

    /// <summary>A raw nonce extnValue to echo byte for byte; takes precedence over <see cref="Nonce"/>.</summary>
    public ReadOnlyMemory<byte> NonceExtensionValue { get; set; }

    /// <summary>Put <see cref="Signer"/> in the certs field (needed for a delegated responder, §4.2.2.2).</summary>
    public bool IncludeSignerCertificate { get; set; } = true;

    /// <summary>More certificates for the certs field.</summary>
    public IList<X509Certificate2> ExtraCertificates { get; } = new List<X509Certificate2>();

    /// <summary>The signature hash; SHA-256 by default (SHA-1 only to test rejection).</summary>
    public HashAlgorithmName SignatureHash { get; set; } = HashAlgorithmName.SHA256;

    /// <summary>RSASSA-PSS instead of PKCS#1 v1.5 for an RSA signer.</summary>
    public bool UseRsaPss { get; set; }

    /// <summary>Flip a bit of the signature after signing, so it no longer verifies.</summary>
    public bool TamperSignature { get; set; }

    /// <summary>The SingleResponses, in order.</summary>
    public IList<OcspResponseEntry> Responses => _responses;

    /// <summary>Adds a SingleResponse; <paramref name="status"/> null means unknown.</summary>
    public OcspResponseBuilder AddResponse(OcspCertificateId certificateId, CertificateStatusEntry? status, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate)
    {
        ArgumentNullException.ThrowIfNull(certificateId);
        _responses.Add(new OcspResponseEntry(certificateId, status, thisUpdate, nextUpdate));
        return this;
    }

    /// <summary>A response with an error status and no responseBytes (RFC 6960 §4.2.1); unsigned by definition.</summary>
    public static byte[] BuildUnsuccessful(ResponseStatus status)
    {
        if (status == ResponseStatus.Successful)
        {
            throw new ArgumentException("A successful response needs a body; use Build.", nameof(status));
        }

        return new OcspResponse(new BcResponseStatus((int)status), null).GetDerEncoded();
    }

    /// <summary>Builds and signs the response.</summary>
    public byte[] Build()
    {
        var responderCertificate = ResponderIdCertificate ?? Signer;
        var responderId = ResponderIdByName
            ? new ResponderID(X509Name.GetInstance(Asn1Object.FromByteArray(responderCertificate.SubjectName.RawData)))
            : new ResponderID(new DerOctetString(KeyHash(responderCertificate)));

        var singles = new Asn1EncodableVector();
        foreach (var entry in _responses)
        {
            singles.Add(new SingleResponse(
                CertID.GetInstance(Asn1Object.FromByteArray(entry.CertificateId.Encode())),
                ToCertStatus(entry.Status),
                Time(entry.ThisUpdate),
                entry.NextUpdate is { } next ? Time(next) : null,
                null));
        }

        var data = new ResponseData(responderId, Time(ProducedAt), new DerSequence(singles), NonceExtensions());
        var tbs = data.GetDerEncoded();

        var (algorithm, signature) = Sign(tbs);
        if (TamperSignature)
        {
            // The last octet is inside s (ECDSA) or the RSA value, so the DER stays well-formed.
            signature[^1] ^= 0x01;
        }

        var certificates = new Asn1EncodableVector();
        if (IncludeSignerCertificate)
        {
            certificates.Add(X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(Signer.RawData)));
        }

        foreach (var extra in ExtraCertificates)
        {
            certificates.Add(X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(extra.RawData)));
        }

        var basic = new BasicOcspResponse(
            data,
            algorithm,
            new DerBitString(signature),
            certificates.Count > 0 ? new DerSequence(certificates) : null);

        var responseBytes = new ResponseBytes(OcspObjectIdentifiers.PkixOcspBasic, new DerOctetString(basic.GetDerEncoded()));
        return new OcspResponse(new BcResponseStatus((int)ResponseStatus.Successful), responseBytes).GetDerEncoded();
    }

    /// <summary>The ResponderID KeyHash: SHA-1 of the subjectPublicKey BIT STRING value (RFC 6960 §4.2.1).</summary>
    public static byte[] KeyHash(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CryptographicOperations.HashData(HashAlgorithmName.SHA1, certificate.PublicKey.EncodedKeyValue.RawData);
    }

    private (AlgorithmIdentifier Algorithm, byte[] Signature) Sign(byte[] tbs)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)Signer.GetECDsaPrivateKey()
            ?? Signer.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("The signer's key must be ECDSA or RSA.");
        var factory = new DotNetSignatureFactory(key, SignatureHash, UseRsaPss ? RSASignaturePadding.Pss : null);
        var calculator = factory.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            stream.Write(tbs);
        }

        var signature = ((Org.BouncyCastle.Crypto.IBlockResult)calculator.GetResult()).Collect();
        return ((AlgorithmIdentifier)factory.AlgorithmDetails, signature);
    }

    private X509Extensions? NonceExtensions()
    {
        byte[] value;
        if (!NonceExtensionValue.IsEmpty)
        {
            value = NonceExtensionValue.ToArray();
        }
        else if (!Nonce.IsEmpty)
        {
            value = new DerOctetString(Nonce.ToArray()).GetDerEncoded();
        }
        else
        {
            return null;
        }

        var generator = new X509ExtensionsGenerator();
        generator.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, value);
        return generator.Generate();
    }

    private static CertStatus ToCertStatus(CertificateStatusEntry? status)
    {
        if (status is null)
        {
            // unknown [2] IMPLICIT UnknownInfo (NULL).
            return new CertStatus(2, DerNull.Instance);
        }

        if (!status.IsRevoked)
        {
            return new CertStatus();
        }

        var time = Time(status.RevocationTime ?? throw new ArgumentException("A revoked status needs a time."));
        return new CertStatus(status.RevocationReason is { } reason
            ? new RevokedInfo(time, new CrlReason((int)reason))
            : new RevokedInfo(time));
    }

    // DER GeneralizedTime: UTC, whole seconds, "Z" (X.690 §11.7; RFC 5280 §4.1.2.5.2).
    private static DerGeneralizedTime Time(DateTimeOffset value) =>
        new(value.UtcDateTime.ToString("yyyyMMddHHmmss'Z'", CultureInfo.InvariantCulture));
}

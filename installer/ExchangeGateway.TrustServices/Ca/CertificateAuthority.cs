using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.TrustServices.Ca;

/// <summary>
/// A certificate authority that issues certificates with fixed profiles. It holds only keys and
/// issuance logic; which certificates were issued or revoked is the caller's state (the dev host keeps
/// it in SQLite, tests in memory). For development and tests only: production uses real CAs.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly TimeProvider _time;

    private CertificateAuthority(X509Certificate2 certificate, TimeProvider time, string? ocspUrl, string? caIssuersUrl)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The CA certificate must carry its private key.", nameof(certificate));
        }

        Certificate = certificate;
        _time = time;
        OcspUrl = ocspUrl;
        CaIssuersUrl = caIssuersUrl;
    }

    /// <summary>The CA's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The OCSP responder URL written into the AIA extension of issued certificates.</summary>
    public string? OcspUrl { get; }

    /// <summary>Where this CA's certificate can be fetched, written into the AIA extension.</summary>
    public string? CaIssuersUrl { get; }

    /// <summary>Creates a self-signed root.</summary>
    public static CertificateAuthority CreateRoot(string subjectName, TimeProvider time, TimeSpan validity, KeyKind key = KeyKind.EcdsaP256)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var privateKey = KeyFactory.Create(key);
        var request = KeyFactory.CreateRequest(new X500DistinguishedName(subjectName), privateKey, HashAlgorithmName.SHA256);
        AddExtensions(request, CertificateProfile.RootCa, issuer: null, ocspUrl: null, caIssuersUrl: null);
        var now = time.GetUtcNow();
        var cert = request.CreateSelfSigned(now.AddMinutes(-1), now + validity);
        return new CertificateAuthority(cert, time, null, null);
    }

    /// <summary>Wraps an existing CA certificate that carries its private key.</summary>
    public static CertificateAuthority Load(X509Certificate2 certificateWithKey, TimeProvider time, string? ocspUrl = null, string? caIssuersUrl = null)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        ArgumentNullException.ThrowIfNull(time);
        return new CertificateAuthority(certificateWithKey, time, ocspUrl, caIssuersUrl);
    }

    /// <summary>Creates an issuing CA under this one.</summary>
    public CertificateAuthority CreateIntermediate(
        string subjectName,
        TimeSpan validity,
        string? ocspUrl = null,
        string? caIssuersUrl = null,
        KeyKind key = KeyKind.EcdsaP256)
    {
        var cert = IssueWithNewKey(subjectName, CertificateProfile.IntermediateCa, key, new IssueOptions { Validity = validity });
        return new CertificateAuthority(cert, _time, ocspUrl, caIssuersUrl);
    }

    /// <summary>Generates a key pair and issues a certificate for it; the result carries the private key.</summary>
    public X509Certificate2 IssueWithNewKey(string subjectName, CertificateProfile profile, KeyKind key = KeyKind.EcdsaP256, IssueOptions? options = null)
    {
        using var privateKey = KeyFactory.Create(key);
        var request = KeyFactory.CreateRequest(new X500DistinguishedName(subjectName), privateKey, HashAlgorithmName.SHA256);
        using var cert = Issue(request, profile, options);
        return privateKey switch
        {
            ECDsa ec => cert.CopyWithPrivateKey(ec),
            RSA rsa => cert.CopyWithPrivateKey(rsa),
            _ => throw new NotSupportedException(privateKey.GetType().Name),
        };
    }

    /// <summary>
    /// Issues from a PKCS#10 request (DER or PEM). The CSR's own signature must verify (proof of
    /// possession) and its key must satisfy the algorithm policy. Requested extensions are ignored:
    /// the profile decides them.
    /// </summary>
    public X509Certificate2 IssueFromCsr(ReadOnlySpan<byte> pkcs10, CertificateProfile profile, IssueOptions? options = null)
    {
        if (profile is CertificateProfile.RootCa or CertificateProfile.IntermediateCa)
        {
            throw new CsrRejectedException("CA certificates are not issued from requests.");
        }

        CertificateRequest loaded;
        try
        {
            loaded = LooksLikePem(pkcs10)
                ? CertificateRequest.LoadSigningRequestPem(
                    System.Text.Encoding.ASCII.GetString(pkcs10),
                    HashAlgorithmName.SHA256,
                    CertificateRequestLoadOptions.Default,
                    RSASignaturePadding.Pkcs1)
                : CertificateRequest.LoadSigningRequest(
                    pkcs10,
                    HashAlgorithmName.SHA256,
                    out _,
                    CertificateRequestLoadOptions.Default,
                    RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException ex)
        {
            throw new CsrRejectedException($"The certificate request is malformed or its signature does not verify: {ex.Message}");
        }

        if (loaded.SubjectName.RawData.Length <= 2)
        {
            throw new CsrRejectedException("The certificate request has an empty subject.");
        }

        KeyFactory.CheckPublicKey(loaded.PublicKey);
        var request = new CertificateRequest(loaded.SubjectName, loaded.PublicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Issue(request, profile, options);
    }

    /// <summary>Issues a certificate for the public key and subject of <paramref name="request"/>.</summary>
    public X509Certificate2 Issue(CertificateRequest request, CertificateProfile profile, IssueOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= new IssueOptions();
        request.CertificateExtensions.Clear();
        AddExtensions(request, profile, Certificate, OcspUrl, CaIssuersUrl);

        var now = _time.GetUtcNow();
        var notBefore = options.NotBefore ?? now.AddMinutes(-1);
        var notAfter = options.NotAfter ?? now + (options.Validity ?? TimeSpan.FromDays(365));
        var issuerNotAfter = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (options.NotAfter is null && notAfter > issuerNotAfter)
        {
            notAfter = issuerNotAfter;
        }

        var serial = options.SerialNumber ?? NewSerialNumber();
        var hash = options.SignatureHash ?? HashAlgorithmName.SHA256;
        var generator = KeyFactory.CreateSignatureGenerator(Certificate, hash);
        return request.Create(Certificate.SubjectName, generator, notBefore, notAfter, serial);
    }

    /// <summary>A positive 128-bit serial number (RFC 5280 §4.1.2.2 allows up to 20 octets).</summary>
    public static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    private static bool LooksLikePem(ReadOnlySpan<byte> data) =>
        data.TrimStart((byte)' ').StartsWith("-----BEGIN"u8);

    private static void AddExtensions(
        CertificateRequest request,
        CertificateProfile profile,
        X509Certificate2? issuer,
        string? ocspUrl,
        string? caIssuersUrl)
    {
        var extensions = request.CertificateExtensions;
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        extensions.Add(ski);
        if (issuer is not null)
        {
            extensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        var isRsa = request.PublicKey.Oid.Value == ExchangeGateway.Common.Crypto.Oids.Rsa;
        switch (profile)
        {
            case CertificateProfile.RootCa:
                extensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
                break;
            case CertificateProfile.IntermediateCa:
                extensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
                extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
                break;
            case CertificateProfile.Authentication:
                extensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                extensions.Add(new X509KeyUsageExtension(
                    isRsa ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature,
                    true));
                extensions.Add(new X509EnhancedKeyUsageExtension(
                    [new Oid(ExchangeGateway.Common.Crypto.Oids.ServerAuth), new Oid(ExchangeGateway.Common.Crypto.Oids.ClientAuth)],
                    false));
                break;
            case CertificateProfile.Signing:
                extensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.DigitalSignature, true));
                break;
            case CertificateProfile.OcspResponder:
                extensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
                extensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ExchangeGateway.Common.Crypto.Oids.OcspSigning)], false));

                // RFC 6960 §4.2.2.2.1: clients need not check the responder's own status (its value is NULL).
                extensions.Add(new X509Extension(ExchangeGateway.Common.Crypto.Oids.OcspNoCheck, [0x05, 0x00], false));
                break;
            case CertificateProfile.TimeStamping:
                extensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
                extensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ExchangeGateway.Common.Crypto.Oids.TimeStamping)], true));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown profile.");
        }

        if (issuer is not null && profile is not CertificateProfile.IntermediateCa && (ocspUrl is not null || caIssuersUrl is not null))
        {
            extensions.Add(new X509AuthorityInformationAccessExtension(
                ocspUrl is null ? null : [ocspUrl],
                caIssuersUrl is null ? null : [caIssuersUrl],
                critical: false));
        }
    }
}

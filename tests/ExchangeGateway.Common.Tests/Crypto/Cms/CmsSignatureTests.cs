using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Common.Tests.Crypto.Cms;

public sealed class CmsSignatureTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Content = "{\"patient\":\"EE12345678901\",\"summary\":true}"u8.ToArray();
    private readonly ManualTimeProvider _time = new(Now);
    private readonly TestPki _pki;
    private readonly X509Certificate2 _signer;
    private readonly CmsSignatureVerifier _verifier;

    public CmsSignatureTests()
    {
        _pki = TestPki.Create(_time);
        _signer = _pki.IssueSigning("EE", "GOV", "70000001");
        _verifier = new CmsSignatureVerifier(_pki.CreateValidator());
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Verify_OwnSignature_ReturnsSignerAndSigningTime()
    {
        var signature = CmsDetachedSigner.Sign(Content, _signer, Now, [_pki.IntermediateCertificate]);

        var result = _verifier.Verify(signature, Content, Now, requireSigningCertificateAttribute: true);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(_signer.Thumbprint, result.Value.Signer.Thumbprint);
        Assert.Equal(Now, result.Value.SigningTime);
        Assert.Equal(HashAlgorithmName.SHA256, result.Value.DigestAlgorithm);
        Assert.Equal(3, result.Value.Chain.Count);
    }

    [Fact]
    public void Sign_Output_IsDetached()
    {
        var signature = CmsDetachedSigner.Sign(Content, _signer, Now);

        var cms = new SignedCms();
        cms.Decode(signature);

        Assert.Empty(cms.ContentInfo.Content);
    }

    [Fact]
    public void Verify_RsaSigner_IsAccepted()
    {
        var rsa = _pki.IssueSigning("EE", "GOV", "rsa", KeyKind.Rsa2048);

        var result = _verifier.Verify(CmsDetachedSigner.Sign(Content, rsa, Now), Content, Now, extraCertificates: [_pki.IntermediateCertificate]);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_RsaPssSigner_AcceptedThroughSignedCmsPath()
    {
        // RSASSA-PSS carries parameters, so the verifier hands it to SignedCms rather than its direct path.
        var rsa = _pki.IssueSigning("EE", "GOV", "pss", KeyKind.Rsa2048);
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, rsa, rsa.GetRSAPrivateKey(), RSASignaturePadding.Pss)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(Now.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        var encoded = cms.Encode();

        Assert.True(_verifier.Verify(encoded, Content, Now).IsValid);
        Assert.Equal(TrustFailure.DigestMismatch, _verifier.Verify(encoded, "other"u8, Now).Failure);
    }

    [Fact]
    public void Verify_TamperedContent_FailsWithDigestMismatch()
    {
        var signature = CmsDetachedSigner.Sign(Content, _signer, Now);
        var tampered = (byte[])Content.Clone();
        tampered[5] ^= 0x01;

        var result = _verifier.Verify(signature, tampered, Now);

        Assert.Equal(TrustFailure.DigestMismatch, result.Failure);
    }

    [Fact]
    public void Verify_TamperedSignatureValue_FailsWithSignatureInvalid()
    {
        var signature = CmsDetachedSigner.Sign(Content, _signer, Now);
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        cms.Decode(signature);
        var sigValue = cms.SignerInfos[0].GetSignature();

        // Flip a bit inside the signature value where it sits in the encoding.
        var index = signature.AsSpan().LastIndexOf(sigValue);
        Assert.True(index > 0);
        var tampered = (byte[])signature.Clone();
        tampered[index + sigValue.Length - 2] ^= 0x01;

        var result = _verifier.Verify(tampered, Content, Now);

        Assert.False(result.IsValid);
        Assert.Contains(result.Failure, new TrustFailure?[] { TrustFailure.SignatureInvalid, TrustFailure.Malformed });
    }

    [Fact]
    public void Verify_SignedWithWrongKey_FailsWithSignatureInvalid()
    {
        // A certificate with the signer's issuer and serial but another key: the signature was made
        // with a key the presented certificate does not hold.
        var impostor = _pki.IssueSigning("EE", "GOV", "70000001", options: new IssueOptions { SerialNumber = _signer.SerialNumberBytes.ToArray() });
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        cms.ComputeSignature(PlainSigner(_signer, X509IncludeOption.None), silent: true);

        var result = _verifier.Verify(cms.Encode(), Content, Now, extraCertificates: [impostor]);

        Assert.Equal(TrustFailure.SignatureInvalid, result.Failure);
    }

    [Fact]
    public void Verify_NoSignedAttributes_FailsWithSignedAttributeInvalid()
    {
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _signer), silent: true);

        Assert.Equal(TrustFailure.SignedAttributeInvalid, _verifier.Verify(cms.Encode(), Content, Now).Failure);
    }

    [Fact]
    public void Verify_SignerFromUnknownCa_FailsAsUntrusted()
    {
        using var other = TestPki.Create(_time, "Other");
        var stranger = other.IssueSigning("EE", "GOV", "70000001");

        var result = _verifier.Verify(CmsDetachedSigner.Sign(Content, stranger, Now, [other.IntermediateCertificate]), Content, Now);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    [Fact]
    public void Verify_ExpiredSigner_FailsWithCertificateExpired()
    {
        var expired = _pki.IssueSigning("EE", "GOV", "old", options: new IssueOptions { NotBefore = Now.AddDays(-30), NotAfter = Now.AddDays(-1) });

        var result = _verifier.Verify(CmsDetachedSigner.Sign(Content, expired, Now), Content, Now);

        Assert.Equal(TrustFailure.CertificateExpired, result.Failure);
    }

    [Fact]
    public void Verify_AuthenticationCertificateAsSigner_FailsWithWrongKeyUsage()
    {
        var auth = _pki.IssueAuthentication("EE", "GOV", "70000001", "ss1");

        var result = _verifier.Verify(CmsDetachedSigner.Sign(Content, auth, Now), Content, Now);

        Assert.Equal(TrustFailure.WrongKeyUsage, result.Failure);
    }

    [Fact]
    public void Verify_SigningCertificateAttributeForAnotherCertificate_Fails()
    {
        var other = _pki.IssueSigning("EE", "GOV", "70000002");
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        var signer = PlainSigner(_signer);
        signer.SignedAttributes.Add(EssSigningCertificateFor(other));
        cms.ComputeSignature(signer, silent: true);

        var result = _verifier.Verify(cms.Encode(), Content, Now);

        Assert.Equal(TrustFailure.SignedAttributeInvalid, result.Failure);
    }

    [Fact]
    public void Verify_MissingSigningCertificateAttributeWhenRequired_Fails()
    {
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        cms.ComputeSignature(PlainSigner(_signer), silent: true);

        Assert.True(_verifier.Verify(cms.Encode(), Content, Now).IsValid);
        Assert.Equal(TrustFailure.SignedAttributeInvalid, _verifier.Verify(cms.Encode(), Content, Now, requireSigningCertificateAttribute: true).Failure);
    }

    [Fact]
    public void Verify_Sha1Digest_FailsWithWeakAlgorithm()
    {
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        var sha1 = PlainSigner(_signer);
        sha1.DigestAlgorithm = new Oid("1.3.14.3.2.26");
        cms.ComputeSignature(sha1, silent: true);

        var result = _verifier.Verify(cms.Encode(), Content, Now);

        Assert.Equal(TrustFailure.WeakAlgorithm, result.Failure);
    }

    [Fact]
    public void Verify_TwoSigners_FailsAsMalformed()
    {
        var second = _pki.IssueSigning("EE", "GOV", "70000002");
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        cms.ComputeSignature(PlainSigner(_signer), silent: true);
        cms.ComputeSignature(PlainSigner(second), silent: true);

        Assert.Equal(TrustFailure.Malformed, _verifier.Verify(cms.Encode(), Content, Now).Failure);
    }

    [Fact]
    public void Verify_Garbage_FailsAsMalformed()
    {
        Assert.Equal(TrustFailure.Malformed, _verifier.Verify([0x30, 0x03, 0x02, 0x01, 0x01], Content, Now).Failure);
        Assert.Equal(TrustFailure.Malformed, _verifier.Verify([], Content, Now).Failure);
    }

    [Fact]
    public void Verify_SignerCertificateNotEmbedded_IsFoundAmongExtraCertificates()
    {
        var cms = new SignedCms(new ContentInfo(Content), detached: true);
        cms.ComputeSignature(PlainSigner(_signer, X509IncludeOption.None), silent: true);

        Assert.Equal(TrustFailure.UntrustedCertificate, _verifier.Verify(cms.Encode(), Content, Now).Failure);
        Assert.True(_verifier.Verify(cms.Encode(), Content, Now, extraCertificates: [_signer]).IsValid);
    }

    /// <summary>A signer as a third-party tool would make it: signed attributes but no ESS attribute.</summary>
    private static CmsSigner PlainSigner(X509Certificate2 cert, X509IncludeOption include = X509IncludeOption.EndCertOnly)
    {
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, cert)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = include,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(Now.UtcDateTime));
        return signer;
    }

    private static AsnEncodedData EssSigningCertificateFor(X509Certificate2 cert)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(cert.RawData));
        }

        return new AsnEncodedData("1.2.840.113549.1.9.16.2.47", writer.Encode());
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;
using ExchangeGateway.MessageLog.Evidence;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

/// <summary>Witness statements verify only with the pinned configuration-signing certificate, over exactly their bytes.</summary>
public sealed class WitnessStatementVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly X509Certificate2 _centralKey = ConfigurationSigningCertificate("CN=DEV configuration signing");
    private readonly X509Certificate2 _otherKey = ConfigurationSigningCertificate("CN=Someone else");

    public void Dispose()
    {
        _centralKey.Dispose();
        _otherKey.Dispose();
    }

    [Fact]
    public void Verify_SignedByThePinnedKey_ReturnsTheStatement()
    {
        var bytes = Statement(1234).Encode();
        var verified = WitnessStatementVerifier.Verify(bytes, CmsDetachedSigner.Sign(bytes, _centralKey, Now), [Public(_centralKey)]);
        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal(Statement(1234), verified.Value);
    }

    [Fact]
    public void Verify_SignedByAnotherKey_Refused()
    {
        var bytes = Statement(1234).Encode();
        var verified = WitnessStatementVerifier.Verify(bytes, CmsDetachedSigner.Sign(bytes, _otherKey, Now), [Public(_centralKey)]);
        Assert.False(verified.IsValid);
        Assert.StartsWith("witness statement signature:", verified.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_StatementChangedAfterSigning_Refused()
    {
        var signature = CmsDetachedSigner.Sign(Statement(1234).Encode(), _centralKey, Now);
        var verified = WitnessStatementVerifier.Verify(Statement(1235).Encode(), signature, [Public(_centralKey)]);
        Assert.False(verified.IsValid);
        Assert.NotEqual(TrustFailure.Malformed, verified.Failure);
    }

    [Fact]
    public void Verify_NotAStatement_Malformed()
    {
        var bytes = "xgw-witness-statement/v1\n"u8.ToArray();
        var verified = WitnessStatementVerifier.Verify(bytes, CmsDetachedSigner.Sign(bytes, _centralKey, Now), [Public(_centralKey)]);
        Assert.Equal(TrustFailure.Malformed, verified.Failure);
    }

    private static WitnessStatement Statement(long size) =>
        new("DEV", "DEV/GOV/70000001/ss1", size, new MerkleHash(SHA256.HashData([1, 2, 3])), Now.AddSeconds(-5), Now);

    private static X509Certificate2 Public(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    // Shaped like the Central Server's configuration-signing certificate: self-signed, for digital signatures.
    private static X509Certificate2 ConfigurationSigningCertificate(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(1));
    }
}

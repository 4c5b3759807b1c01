using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Common.Tests.Crypto.X509;

public sealed class CertificateValidatorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly TestPki _pki;

    public CertificateValidatorTests()
    {
        _pki = TestPki.Create(_time);
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Validate_SigningCertificateFromTrustedChain_ReturnsChainToRoot()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "70000001");

        var result = _pki.CreateValidator().Validate(cert, CertificatePurpose.Signing, Start);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(3, result.Value.Length);
        Assert.Equal(_pki.RootCertificate.Thumbprint, result.Value[^1].Thumbprint);
    }

    [Fact]
    public void Validate_AuthenticationCertificate_IsValidForAuthentication()
    {
        var cert = _pki.IssueAuthentication("EE", "GOV", "70000001", "ss1");

        Assert.True(_pki.CreateValidator().Validate(cert, CertificatePurpose.Authentication, Start).IsValid);
    }

    [Fact]
    public void Validate_ExpiredCertificate_FailsWithCertificateExpired()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "1", options: new IssueOptions { NotBefore = Start.AddDays(-10), NotAfter = Start.AddDays(-1) });

        var result = _pki.CreateValidator().Validate(cert, CertificatePurpose.Signing, Start);

        Assert.Equal(TrustFailure.CertificateExpired, result.Failure);
        Assert.Contains("expired", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotYetValidBeyondSkew_FailsWithNotYetValid()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "1", options: new IssueOptions { NotBefore = Start.AddMinutes(10), NotAfter = Start.AddDays(1) });

        var result = _pki.CreateValidator(TimeSpan.FromMinutes(5)).Validate(cert, CertificatePurpose.Signing, Start);

        Assert.Equal(TrustFailure.CertificateNotYetValid, result.Failure);
    }

    [Theory]
    [InlineData(-10, true)]
    [InlineData(-4, true)]
    [InlineData(0, true)]
    [InlineData(4, true)]
    [InlineData(10, false)]
    public void Validate_PeerClockAhead_AcceptedOnlyWithinSkew(int notBeforeOffsetMinutes, bool accepted)
    {
        var cert = _pki.IssueSigning("EE", "GOV", "1", options: new IssueOptions { NotBefore = Start.AddMinutes(notBeforeOffsetMinutes), NotAfter = Start.AddDays(1) });

        var result = _pki.CreateValidator(TimeSpan.FromMinutes(5)).Validate(cert, CertificatePurpose.Signing, Start);

        Assert.Equal(accepted, result.IsValid);
    }

    [Fact]
    public void Validate_CertificateFromUnknownCa_FailsAsUntrusted()
    {
        using var other = TestPki.Create(_time, "Other");
        var cert = other.IssueSigning("EE", "GOV", "1");

        var result = _pki.CreateValidator().Validate(cert, CertificatePurpose.Signing, Start, [other.IntermediateCertificate]);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    [Fact]
    public void Validate_SelfSignedLeaf_FailsAsUntrusted()
    {
        using var self = CertificateAuthority.CreateRoot("CN=Self", _time, TimeSpan.FromDays(30));

        var result = _pki.CreateValidator().Validate(self.Certificate, CertificatePurpose.Any, Start);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    [Fact]
    public void Validate_Rsa1024Key_FailsWithWeakKey()
    {
        var cert = _pki.Issue("CN=weak", CertificateProfile.Signing, KeyKind.Rsa1024);

        var result = _pki.CreateValidator().Validate(cert, CertificatePurpose.Signing, Start);

        Assert.Equal(TrustFailure.WeakKey, result.Failure);
        Assert.Contains("1024", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Rsa2048Key_IsAccepted()
    {
        var cert = _pki.Issue("CN=rsa", CertificateProfile.Signing, KeyKind.Rsa2048);

        Assert.True(_pki.CreateValidator().Validate(cert, CertificatePurpose.Signing, Start).IsValid);
    }

    [Fact]
    public void Validate_Sha1SignedCertificate_FailsWithWeakAlgorithm()
    {
        var cert = _pki.Issue("CN=sha1", CertificateProfile.Signing, options: new IssueOptions { SignatureHash = HashAlgorithmName.SHA1 });

        var result = _pki.CreateValidator().Validate(cert, CertificatePurpose.Signing, Start);

        Assert.Equal(TrustFailure.WeakAlgorithm, result.Failure);
        Assert.Contains("ecdsa-with-SHA1", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AuthenticationCertificateUsedForSigning_FailsWithWrongKeyUsage()
    {
        var cert = _pki.IssueAuthentication("EE", "GOV", "1", "ss1");

        var result = _pki.CreateValidator().Validate(cert, CertificatePurpose.Signing, Start);

        Assert.Equal(TrustFailure.WrongKeyUsage, result.Failure);
    }

    [Fact]
    public void Validate_SigningCertificateUsedForTimeStamping_FailsWithWrongKeyUsage()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "1");

        Assert.Equal(TrustFailure.WrongKeyUsage, _pki.CreateValidator().Validate(cert, CertificatePurpose.TimeStamping, Start).Failure);
        Assert.Equal(TrustFailure.WrongKeyUsage, _pki.CreateValidator().Validate(cert, CertificatePurpose.OcspSigning, Start).Failure);
    }

    [Fact]
    public void Validate_TsaAndResponderCertificates_AreValidForTheirPurposes()
    {
        var validator = _pki.CreateValidator();

        Assert.True(validator.Validate(_pki.Tsa, CertificatePurpose.TimeStamping, Start).IsValid);
        Assert.True(validator.Validate(_pki.OcspResponder, CertificatePurpose.OcspSigning, Start).IsValid);
    }

    [Fact]
    public void Validate_CaCertificateAsEndEntity_FailsWithWrongKeyUsage()
    {
        var result = _pki.CreateValidator().Validate(_pki.IntermediateCertificate, CertificatePurpose.Signing, Start);

        Assert.Equal(TrustFailure.WrongKeyUsage, result.Failure);
    }

    [Fact]
    public void Validate_EndEntityUsedAsIssuer_IsRejected()
    {
        // A leaf certificate (no CA flag) that signs another certificate must not extend the chain.
        var leafWithKey = _pki.IssueSigning("EE", "GOV", "rogue-ca");
        using var rogue = CertificateAuthority.Load(leafWithKey, _time);
        using var victim = rogue.IssueWithNewKey("CN=victim", CertificateProfile.Signing);

        var result = _pki.CreateValidator().Validate(victim, CertificatePurpose.Signing, Start, [leafWithKey]);

        Assert.False(result.IsValid);
        Assert.Contains(result.Failure, new TrustFailure?[] { TrustFailure.InvalidBasicConstraints, TrustFailure.UntrustedCertificate });
    }

    [Fact]
    public void Validate_ExpiredIntermediate_FailsNamingTheCa()
    {
        var later = Start.AddDays(1900);

        var result = _pki.CreateValidator().Validate(_pki.IssueSigning("EE", "GOV", "1", options: new IssueOptions { NotAfter = later.AddDays(1) }), CertificatePurpose.Signing, later);

        Assert.Equal(TrustFailure.CertificateExpired, result.Failure);
        Assert.Contains("Issuing CA", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IssuingCaPinnedAsAnchor_ReturnsChainEndingAtIt()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "70000001");
        var pinned = new CertificateValidator([_pki.IntermediateCertificate]);

        var result = pinned.Validate(cert, CertificatePurpose.Signing, Start);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(2, result.Value.Length);
        Assert.Equal(_pki.IntermediateCertificate.Thumbprint, result.Value[^1].Thumbprint);
    }

    [Fact]
    public void Validate_IssuingCaPinned_CertificateFromOtherCaStillUntrusted()
    {
        using var other = TestPki.Create(_time, "Other");
        var pinned = new CertificateValidator([_pki.IntermediateCertificate]);

        var result = pinned.Validate(other.IssueSigning("EE", "GOV", "1"), CertificatePurpose.Signing, Start, [other.IntermediateCertificate, other.RootCertificate]);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    [Fact]
    public void Validate_RepeatedForSameLeaf_ReturnsRememberedChain()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "70000001");
        var validator = _pki.CreateValidator();

        var first = validator.Validate(cert, CertificatePurpose.Signing, Start);
        var second = validator.Validate(cert, CertificatePurpose.Signing, Start.AddHours(1));

        Assert.True(second.IsValid);
        Assert.Same(first.Value, second.Value);
    }

    [Fact]
    public void Validate_RememberedChainAfterLeafExpiry_FailsWithCertificateExpired()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "1", options: new IssueOptions { NotBefore = Start.AddDays(-1), NotAfter = Start.AddDays(1) });
        var validator = _pki.CreateValidator();
        Assert.True(validator.Validate(cert, CertificatePurpose.Signing, Start).IsValid);

        var later = validator.Validate(cert, CertificatePurpose.Signing, Start.AddDays(2));

        Assert.Equal(TrustFailure.CertificateExpired, later.Failure);
    }

    [Fact]
    public void Validate_RememberedChainBeforeLeafValidity_FailsWithNotYetValid()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "1", options: new IssueOptions { NotBefore = Start, NotAfter = Start.AddDays(1) });
        var validator = _pki.CreateValidator(TimeSpan.FromMinutes(5));
        Assert.True(validator.Validate(cert, CertificatePurpose.Signing, Start).IsValid);

        Assert.Equal(TrustFailure.CertificateNotYetValid, validator.Validate(cert, CertificatePurpose.Signing, Start.AddHours(-1)).Failure);
    }

    [Fact]
    public void Validate_RememberedForOnePurpose_StillCheckedForAnother()
    {
        var cert = _pki.IssueSigning("EE", "GOV", "1");
        var validator = _pki.CreateValidator();
        Assert.True(validator.Validate(cert, CertificatePurpose.Signing, Start).IsValid);

        Assert.Equal(TrustFailure.WrongKeyUsage, validator.Validate(cert, CertificatePurpose.Authentication, Start).Failure);
    }
}

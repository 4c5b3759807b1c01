using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Serialization;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.Config.Tests.Support;
using ExchangeGateway.Config.Verification;

namespace ExchangeGateway.Config.Tests.Verification;

public sealed class ConfigurationVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = Samples.Start.AddMinutes(1);
    private readonly X509Certificate2 _key = Samples.CreateSigningCertificate("conf-signing-1", Samples.Start);
    private readonly X509Certificate2 _otherKey = Samples.CreateSigningCertificate("conf-signing-2", Samples.Start);
    private readonly ConfigurationVerifier _verifier = new();

    private ConfigurationAnchor Anchor => Samples.Anchor("EE", ["http://127.0.0.1/globalconf"], _key);

    [Fact]
    public void Verify_SignedByAnchorKey_Accepted()
    {
        var signed = Sign(Samples.Configuration());

        var result = _verifier.Verify(signed, Anchor, held: null, Now);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(1, result.Value.Serial);
    }

    [Fact]
    public void Verify_TamperedContent_RejectedAsBadSignature()
    {
        var signed = Sign(Samples.Configuration());
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed.Content.Span).Replace("Hospital", "Hospitax", StringComparison.Ordinal));

        var result = _verifier.Verify(signed with { Content = tampered }, Anchor, held: null, Now);

        Assert.Equal(TrustFailure.DigestMismatch, result.Failure);
    }

    [Fact]
    public void Verify_CorruptSignatureValue_RejectedAsBadSignature()
    {
        var signed = Sign(Samples.Configuration());
        var signature = signed.Signature.ToArray();
        signature[^3] ^= 0x55;

        var result = _verifier.Verify(signed with { Signature = signature }, Anchor, held: null, Now);

        Assert.False(result.IsValid);
        Assert.Contains(result.Failure, new TrustFailure?[] { TrustFailure.SignatureInvalid, TrustFailure.Malformed });
    }

    [Fact]
    public void Verify_KeyNotInAnchor_RejectedAsUntrusted()
    {
        var signed = SignedConfiguration.Sign(Samples.Configuration(), _otherKey, Now);

        var result = _verifier.Verify(signed, Anchor, held: null, Now);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    [Fact]
    public void Verify_SignerIssuedByAnchoredCaButNotPinned_Rejected()
    {
        // The anchor pins the test root; a signing certificate issued under it is still not a pinned key.
        using var issued = Samples.Pki.IssueSigning("EE", "GOV", "cs");
        var anchor = new ConfigurationAnchor("EE", ["http://127.0.0.1/"], [Samples.Pki.IntermediateCertificate.RawData]);
        var signed = SignedConfiguration.Sign(Samples.Configuration(), issued, Now);

        var result = _verifier.Verify(signed, anchor, held: null, Now);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    [Fact]
    public void Verify_OlderSerialThanHeld_RejectedAsRollback()
    {
        var signed = Sign(Samples.Configuration(serial: 4));

        var result = _verifier.Verify(signed, Anchor, new HeldConfiguration(5, Encoding.UTF8.GetBytes("x")), Now);

        Assert.Equal(TrustFailure.GlobalConfigurationRollback, result.Failure);
    }

    [Fact]
    public void Verify_SameSerialDifferentBytes_RejectedAsConflict()
    {
        var held = Sign(Samples.Configuration(serial: 5));
        var other = Sign(Samples.Configuration(serial: 5) with { ManagementServiceAddress = "https://elsewhere.example.org/" });

        var result = _verifier.Verify(other, Anchor, new HeldConfiguration(5, held.Content), Now);

        Assert.Equal(TrustFailure.GlobalConfigurationSerialConflict, result.Failure);
    }

    [Fact]
    public void Verify_SameSerialSameBytes_Accepted()
    {
        var held = Sign(Samples.Configuration(serial: 5));

        Assert.True(_verifier.Verify(held, Anchor, new HeldConfiguration(5, held.Content), Now).IsValid);
    }

    [Fact]
    public void Verify_OtherInstanceSignedWithSameKey_RejectedAsWrongInstance()
    {
        var signed = Sign(Samples.Configuration(instance: "FI"));

        var result = _verifier.Verify(signed, Anchor, held: null, Now);

        Assert.Equal(TrustFailure.GlobalConfigurationWrongInstance, result.Failure);
    }

    [Fact]
    public void Verify_AfterExpiry_RejectedAsExpired()
    {
        var config = Samples.Configuration();
        var signed = Sign(config);

        Assert.True(_verifier.Verify(signed, Anchor, null, config.ExpiresAt).IsValid);
        Assert.Equal(TrustFailure.GlobalConfigurationExpired, _verifier.Verify(signed, Anchor, null, config.ExpiresAt.AddSeconds(1)).Failure);
    }

    [Fact]
    public void Verify_GeneratedInTheFutureBeyondSkew_RejectedAsNotYetValid()
    {
        var signed = Sign(Samples.Configuration(generatedAt: Now.AddMinutes(6)));

        Assert.Equal(TrustFailure.GlobalConfigurationNotYetValid, _verifier.Verify(signed, Anchor, null, Now).Failure);
        Assert.True(_verifier.Verify(Sign(Samples.Configuration(generatedAt: Now.AddMinutes(4))), Anchor, null, Now).IsValid);
    }

    [Fact]
    public void Verify_OversizedContent_RejectedBeforeSignatureCheck()
    {
        var verifier = new ConfigurationVerifier(new ConfigurationVerifierOptions { MaxContentBytes = 1024 });
        var signed = Sign(Samples.Configuration());

        Assert.Equal(TrustFailure.DocumentTooLarge, verifier.Verify(signed, Anchor, null, Now).Failure);
    }

    [Fact]
    public void Verify_SignedButMalformedContent_RejectedAsMalformed()
    {
        var content = Encoding.UTF8.GetBytes("{\"serial\":1}");
        var signed = SignedConfiguration.Sign(content, _key, Now);

        Assert.Equal(TrustFailure.Malformed, _verifier.Verify(signed, Anchor, null, Now).Failure);
    }

    [Fact]
    public void Verify_Rotation_AnchorWithBothKeysAcceptsEitherAndNewOnlyRejectsOld()
    {
        var both = Samples.Anchor("EE", ["http://127.0.0.1/"], _key, _otherKey);
        var newOnly = Samples.Anchor("EE", ["http://127.0.0.1/"], _otherKey);
        var byOld = Sign(Samples.Configuration(serial: 7));
        var byNew = SignedConfiguration.Sign(Samples.Configuration(serial: 8), _otherKey, Now);

        Assert.True(_verifier.Verify(byOld, both, null, Now).IsValid);
        Assert.True(_verifier.Verify(byNew, both, null, Now).IsValid);
        Assert.True(_verifier.Verify(byNew, newOnly, null, Now).IsValid);
        Assert.Equal(TrustFailure.UntrustedCertificate, _verifier.Verify(byOld, newOnly, null, Now).Failure);
    }

    [Fact]
    public void Envelope_WriteRead_KeepsTheSignedBytesExactly()
    {
        var signed = Sign(Samples.Configuration());

        var envelope = SignedConfigurationEnvelope.Write(signed);
        var read = SignedConfigurationEnvelope.Read(envelope);

        Assert.True(read.Success, read.Message);
        Assert.True(read.Value.Content.Span.SequenceEqual(signed.Content.Span));
        Assert.True(read.Value.Signature.Span.SequenceEqual(signed.Signature.Span));
        Assert.StartsWith("{\"content\":\"", Encoding.UTF8.GetString(envelope), StringComparison.Ordinal);
        Assert.True(_verifier.Verify(read.Value, Anchor, null, Now).IsValid);
    }

    [Fact]
    public void Sign_Signature_VerifiesWithTheCommonCmsVerifierOverTheCanonicalBytes()
    {
        var signed = Sign(Samples.Configuration());
        var cms = new CmsSignatureVerifier(new Common.Crypto.X509.CertificateValidator([_key]));

        var result = cms.Verify(signed.Signature.Span, GlobalConfigurationSerializer.Write(Samples.Configuration()), Now, requireSigningCertificateAttribute: true);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void VerifyAsPublished_LongExpiredConfiguration_AcceptedAsOfItsGeneration()
    {
        var signed = Sign(Samples.Configuration(validity: TimeSpan.FromMinutes(10)));

        var result = _verifier.VerifyAsPublished(signed, Anchor);

        Assert.True(result.IsValid, result.Message);
        Assert.True(result.Value.IsExpired(Now.AddYears(3)));
    }

    [Fact]
    public void VerifyAsPublished_GeneratedAfterTheSigningCertificateExpired_Rejected()
    {
        var late = Samples.Start.AddDays(400);
        var signed = SignedConfiguration.Sign(Samples.Configuration(generatedAt: late), _key, late);

        var result = _verifier.VerifyAsPublished(signed, Anchor);

        Assert.Equal(TrustFailure.CertificateExpired, result.Failure);
    }

    [Fact]
    public void VerifyAsPublished_KeyNotInAnchor_RejectedAsUntrusted()
    {
        var signed = SignedConfiguration.Sign(Samples.Configuration(), _otherKey, Now);

        var result = _verifier.VerifyAsPublished(signed, Anchor);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    private SignedConfiguration Sign(GlobalConfiguration config) => SignedConfiguration.Sign(config, _key, Now);
}

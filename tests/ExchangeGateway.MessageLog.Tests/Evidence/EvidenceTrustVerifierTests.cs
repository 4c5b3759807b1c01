using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Tests.Support;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

public sealed class EvidenceTrustVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Generated = new(2026, 3, 1, 11, 0, 0, TimeSpan.Zero);
    private readonly TestPki _pki = TestPki.Create(new ManualTimeProvider(Generated.AddDays(-10)));
    private readonly TrustMaterial _trust;

    public EvidenceTrustVerifierTests()
    {
        _trust = new TrustMaterial(_pki, Generated);
    }

    [Fact]
    public void Verify_BundleAnchor_ResolvesAndReportsTheAnchorHash()
    {
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_trust.Evidence(), null, checks);

        Assert.NotNull(resolved);
        Assert.Equal(["trust.anchor", "trust.configuration", "trust.certificates"], checks.Select(c => c.Name));
        Assert.All(checks, c => Assert.True(c.Passed, c.Message));
        var hash = ConfigurationAnchorSerializer.Sha256Hex(_trust.AnchorBytes);
        Assert.Contains(hash, checks[0].Message, StringComparison.Ordinal);
        Assert.Equal(hash, resolved.AnchorSha256);
        Assert.Equal(7, resolved.Configuration.Serial);
        Assert.NotNull(resolved.Cms);
        Assert.NotNull(resolved.TimeStamps);
    }

    [Fact]
    public void Verify_SameAuditorAnchor_Passes()
    {
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_trust.Evidence(), _trust.AnchorBytes, checks);

        Assert.NotNull(resolved);
        Assert.All(checks, c => Assert.True(c.Passed, c.Message));
        Assert.Contains("auditor's anchor", checks[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AuditorAnchorDiffers_AnchorAndConfigurationFail()
    {
        using var other = TrustMaterial.CreateConfigurationSigner("Other Central Server", Generated);
        var auditorAnchor = ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create(TrustMaterial.Instance, ["https://cs.dev.example/globalconf"], [other]));
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_trust.Evidence(), auditorAnchor, checks);

        Assert.Null(resolved);
        Assert.False(checks[0].Passed);
        Assert.Contains(ConfigurationAnchorSerializer.Sha256Hex(auditorAnchor), checks[0].Message, StringComparison.Ordinal);
        Assert.Contains(ConfigurationAnchorSerializer.Sha256Hex(_trust.AnchorBytes), checks[0].Message, StringComparison.Ordinal);
        Assert.False(checks[1].Passed);
        Assert.Contains("untrusted_certificate", checks[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ConfigurationSignedByAnotherKey_ConfigurationFails()
    {
        using var other = TrustMaterial.CreateConfigurationSigner("Rogue", Generated);
        var forged = SignedConfiguration.Sign(_trust.Signed.Content, other, Generated);
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_trust.Evidence() with { ConfigurationSignature = forged.Signature }, null, checks);

        Assert.Null(resolved);
        Assert.True(checks[0].Passed);
        Assert.False(checks[1].Passed);
        Assert.Equal("trust.configuration", checks[1].Name);
        Assert.Contains("configuration signature: ", checks[1].Message, StringComparison.Ordinal);
        Assert.Contains("untrusted_certificate", checks[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ChangedConfigurationContent_ConfigurationFails()
    {
        var content = _trust.Signed.Content.ToArray();
        content[^3] ^= 0x01;
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_trust.Evidence() with { ConfigurationContent = content }, null, checks);

        Assert.Null(resolved);
        Assert.False(checks[1].Passed);
    }

    [Fact]
    public void Verify_CaListNotTheConfigurations_CertificatesFailsNamingTheFirstBadOne()
    {
        var checks = new List<EvidenceCheck>();
        var evidence = _trust.Evidence() with { CaCertificates = [_pki.RootCertificate.RawData] };

        var resolved = EvidenceTrustVerifier.Verify(evidence, null, checks);

        Assert.NotNull(resolved);
        var failed = Assert.Single(checks, c => !c.Passed);
        Assert.Equal("trust.certificates", failed.Name);
        Assert.Equal("CA certificate 1 ('CN=Test Root CA, O=ExchangeGateway Test') is not the configuration's approved CA 'Test Issuing CA'", failed.Message);
    }

    [Fact]
    public void Verify_TsaMissing_CertificatesFails()
    {
        var checks = new List<EvidenceCheck>();

        EvidenceTrustVerifier.Verify(_trust.Evidence() with { TsaCertificates = [] }, null, checks);

        var failed = Assert.Single(checks, c => !c.Passed);
        Assert.Equal("TSA certificate 1: the configuration's approved TSA 'Test TSA' is missing from the evidence's list", failed.Message);
    }

    [Fact]
    public void Verify_UnreadableAnchor_EveryTrustCheckFails()
    {
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_trust.Evidence() with { Anchor = "{}"u8.ToArray() }, null, checks);

        Assert.Null(resolved);
        Assert.Equal(3, checks.Count);
        Assert.All(checks, c => Assert.False(c.Passed));
    }

    [Fact]
    public void Resolved_MemberOfAndOcsp_UseTheApprovedCasRules()
    {
        var resolved = EvidenceTrustVerifier.Verify(_trust.Evidence(), null, [])!;
        var signer = _pki.IssueSigning("DEV", "GOV", "70000001");
        var chain = resolved.Cms is null ? null : new[] { signer, _pki.IntermediateCertificate };

        var member = resolved.MemberOf(signer, chain!);
        var noOcsp = resolved.CheckOcsp([], chain!, Generated);

        Assert.True(member.Success, member.Message);
        Assert.Equal(TrustMaterial.Provider, member.Value);
        Assert.False(noOcsp.IsValid);
        Assert.Equal("no OCSP response was stapled", noOcsp.Message);
    }

    public void Dispose()
    {
        _trust.Dispose();
        _pki.Dispose();
    }
}

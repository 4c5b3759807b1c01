using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

public sealed class EvidenceTrustVerifierTests : IAsyncLifetime
{
    private EvidenceWorld _world = null!;

    private DateTimeOffset Generated => _world.Configuration.GeneratedAt;

    public async Task InitializeAsync() => _world = await EvidenceWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public void Verify_BundleAnchor_ResolvesAndReportsTheAnchorHash()
    {
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_world.Trust(), null, checks);

        Assert.NotNull(resolved);
        Assert.Equal(["trust.anchor", "trust.configuration", "trust.certificates"], checks.Select(c => c.Name));
        Assert.All(checks, c => Assert.True(c.Passed, c.Message));
        var hash = ConfigurationAnchorSerializer.Sha256Hex(_world.AnchorBytes);
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

        var resolved = EvidenceTrustVerifier.Verify(_world.Trust(), _world.AnchorBytes, checks);

        Assert.NotNull(resolved);
        Assert.All(checks, c => Assert.True(c.Passed, c.Message));
        Assert.Contains("auditor's anchor", checks[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AuditorAnchorDiffers_AnchorAndConfigurationFail()
    {
        using var other = EvidenceFederation.CreateConfigurationSigner("Other Central Server", Generated);
        var auditorAnchor = ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create(EvidenceWorld.Instance, ["https://cs.dev.example/globalconf"], [other]));
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_world.Trust(), auditorAnchor, checks);

        Assert.Null(resolved);
        Assert.False(checks[0].Passed);
        Assert.Contains(ConfigurationAnchorSerializer.Sha256Hex(auditorAnchor), checks[0].Message, StringComparison.Ordinal);
        Assert.Contains(ConfigurationAnchorSerializer.Sha256Hex(_world.AnchorBytes), checks[0].Message, StringComparison.Ordinal);
        Assert.False(checks[1].Passed);
        Assert.Contains("untrusted_certificate", checks[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ConfigurationSignedByAnotherKey_ConfigurationFails()
    {
        using var other = EvidenceFederation.CreateConfigurationSigner("Rogue", Generated);
        var forged = SignedConfiguration.Sign(_world.SignedConfiguration.Content, other, Generated);
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_world.Trust() with { ConfigurationSignature = forged.Signature }, null, checks);

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
        var content = _world.SignedConfiguration.Content.ToArray();
        content[^3] ^= 0x01;
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_world.Trust() with { ConfigurationContent = content }, null, checks);

        Assert.Null(resolved);
        Assert.False(checks[1].Passed);
    }

    [Fact]
    public void Verify_CaListNotTheConfigurations_CertificatesFailsNamingTheFirstBadOne()
    {
        var checks = new List<EvidenceCheck>();
        var evidence = _world.Trust() with { CaCertificates = [_world.Pki.RootCertificate.RawData] };

        var resolved = EvidenceTrustVerifier.Verify(evidence, null, checks);

        Assert.NotNull(resolved);
        var failed = Assert.Single(checks, c => !c.Passed);
        Assert.Equal("trust.certificates", failed.Name);
        Assert.Equal("CA certificate 1 ('CN=Evidence Root CA, O=ExchangeGateway Test') is not the configuration's approved CA 'Evidence Issuing CA'", failed.Message);
    }

    [Fact]
    public void Verify_TsaMissing_CertificatesFails()
    {
        var checks = new List<EvidenceCheck>();

        EvidenceTrustVerifier.Verify(_world.Trust() with { TsaCertificates = [] }, null, checks);

        var failed = Assert.Single(checks, c => !c.Passed);
        Assert.Equal("TSA certificate 1: the configuration's approved TSA 'Evidence TSA' is missing from the evidence's list", failed.Message);
    }

    [Fact]
    public void Verify_UnreadableAnchor_EveryTrustCheckFails()
    {
        var checks = new List<EvidenceCheck>();

        var resolved = EvidenceTrustVerifier.Verify(_world.Trust() with { Anchor = "{}"u8.ToArray() }, null, checks);

        Assert.Null(resolved);
        Assert.Equal(3, checks.Count);
        Assert.All(checks, c => Assert.False(c.Passed));
    }

    [Fact]
    public void Resolved_MemberOfAndOcsp_UseTheApprovedCasRules()
    {
        var resolved = EvidenceTrustVerifier.Verify(_world.Trust(), null, [])!;
        var signer = _world.Pki.IssueSigning("DEV", "GOV", "70000001");
        var chain = resolved.Cms is null ? null : new[] { signer, _world.Pki.IntermediateCertificate };

        var member = resolved.MemberOf(signer, chain!);
        var noOcsp = resolved.CheckOcsp([], chain!, Generated);

        Assert.True(member.Success, member.Message);
        Assert.Equal("DEV/GOV/70000001", member.Value!.ToString());
        Assert.False(noOcsp.IsValid);
        Assert.Equal("no OCSP response was stapled", noOcsp.Message);
    }
}

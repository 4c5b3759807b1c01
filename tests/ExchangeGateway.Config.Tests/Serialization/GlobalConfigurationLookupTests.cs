using System.Security.Cryptography;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Tests.Support;
using ExchangeGateway.Testing.Pki;

namespace ExchangeGateway.Config.Tests.Serialization;

public sealed class GlobalConfigurationLookupTests
{
    private static readonly MemberId Gov1 = MemberId.Parse("EE/GOV/70000001");
    private static readonly MemberId Gov2 = MemberId.Parse("EE/GOV/70000002");

    [Fact]
    public void FindServersHosting_Subsystem_ReturnsOnlyExactHosts()
    {
        var config = Samples.Configuration();

        Assert.Equal("ss1", Assert.Single(config.FindServersHosting(ClientId.Parse("EE/GOV/70000001/hospital"))).Id.ServerCode);
        Assert.Equal("ss2", Assert.Single(config.FindServersHosting(ClientId.Parse("EE/GOV/70000002/clinic"))).Id.ServerCode);
        Assert.Empty(config.FindServersHosting(ClientId.Parse("EE/GOV/70000002")));
        Assert.Empty(config.FindServersHosting(ClientId.Parse("EE/gov/70000001/hospital")));
    }

    [Fact]
    public void FindSecurityServer_KnownAndUnknown_ReturnsServerOrNull()
    {
        var config = Samples.Configuration();

        Assert.Equal("ss1.example.org:5500", config.FindSecurityServer(new SecurityServerId(Gov1, "ss1"))!.Address);
        Assert.Null(config.FindSecurityServer(new SecurityServerId(Gov1, "ss9")));
    }

    [Fact]
    public void IsAuthenticationCertificateRegistered_HashOfRegisteredCert_TrueOnlyForItsServer()
    {
        var config = Samples.Configuration();
        var hash = Convert.FromHexString(config.SecurityServers.Single(s => s.Id.ServerCode == "ss1").AuthenticationCertificateHashes[0]);

        Assert.True(config.IsAuthenticationCertificateRegistered(new SecurityServerId(Gov1, "ss1"), hash));
        Assert.False(config.IsAuthenticationCertificateRegistered(new SecurityServerId(Gov2, "ss2"), hash));
        Assert.False(config.IsAuthenticationCertificateRegistered(new SecurityServerId(Gov1, "ss1"), SHA256.HashData([1, 2, 3])));
    }

    [Fact]
    public void FindCasByIssuer_MemberCertificate_FindsItsCaAndProfileNamesTheMember()
    {
        var config = Samples.Configuration();
        using var signing = Samples.Pki.IssueSigning("EE", "GOV", "70000002");

        var ca = Assert.Single(config.FindCasByIssuer(signing.IssuerName));
        var member = ca.Profile.TryGetMember(signing.SubjectName, config.InstanceId);

        Assert.True(member.Success, member.Message);
        Assert.Equal(Gov2, member.Value);
        Assert.Empty(config.FindCasByIssuer(Samples.Pki.RootCertificate.IssuerName));
    }

    [Fact]
    public void CertificateSubjectProfile_MissingOrRepeatedAttribute_Fails()
    {
        using var twoCns = Samples.Pki.Issue("C=EE, O=GOV, CN=1, CN=2", TrustServices.Ca.CertificateProfile.Signing);
        using var noClass = Samples.Pki.Issue("C=EE, CN=1", TrustServices.Ca.CertificateProfile.Signing);

        Assert.False(CertificateSubjectProfile.Default.TryGetMember(twoCns.SubjectName, "EE").Success);
        Assert.False(CertificateSubjectProfile.Default.TryGetMember(noClass.SubjectName, "EE").Success);
        Assert.True(new CertificateSubjectProfile("O", "CN", null).TryGetMember(
            new System.Security.Cryptography.X509Certificates.X500DistinguishedName(TestPki.MemberSubject("XX", "GOV", "5")), "EE").Value!.Instance == "EE");
    }

    [Fact]
    public void IsMemberOfGroup_ExactMembershipOnly()
    {
        var config = Samples.Configuration();
        var clinics = GlobalGroupId.Parse("EE/clinics");

        Assert.True(config.IsMemberOfGroup(clinics, ClientId.Parse("EE/GOV/70000002/clinic")));
        Assert.False(config.IsMemberOfGroup(clinics, ClientId.Parse("EE/GOV/70000002")));
        Assert.False(config.IsMemberOfGroup(GlobalGroupId.Parse("EE/none"), ClientId.Parse("EE/GOV/70000002/clinic")));
    }

    [Fact]
    public void WithCopy_ChangedServers_LookupsSeeTheCopyNotTheOriginalIndex()
    {
        var config = Samples.Configuration();
        _ = config.FindSecurityServer(new SecurityServerId(Gov1, "ss1"));

        var copy = config with { SecurityServers = [config.SecurityServers.Single(s => s.Id.ServerCode == "ss2")] };

        Assert.Null(copy.FindSecurityServer(new SecurityServerId(Gov1, "ss1")));
        Assert.NotNull(config.FindSecurityServer(new SecurityServerId(Gov1, "ss1")));
    }

    [Fact]
    public void RegisteredClientAndRiskScore_Lookups()
    {
        var config = Samples.Configuration();

        Assert.True(config.IsRegisteredClient(ClientId.Parse("EE/GOV/70000002/billing")));
        Assert.False(config.IsRegisteredClient(ClientId.Parse("EE/GOV/70000002/nope")));
        Assert.Equal(80, config.FindRiskScore(Gov2)!.CybersecurityScore);
        Assert.Null(config.FindRiskScore(Gov1));
        Assert.NotNull(config.FindFederatedInstance("FI"));
    }
}

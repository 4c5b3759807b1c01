using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Tests.Support;

namespace ExchangeGateway.Signer.Tests.Enrolment;

public sealed class CertificateSubjectsTests
{
    [Fact]
    public void ForProfile_DefaultProfile_EqualsTheFixedSubjects()
    {
        Assert.Equal(
            CertificateSubjects.Signing(TestIdentities.Owner).RawData,
            CertificateSubjects.ForProfile(CertificateSubjectProfile.Default, TestIdentities.Owner, null).RawData);
        Assert.Equal(
            CertificateSubjects.Authentication(TestIdentities.Server).RawData,
            CertificateSubjects.ForProfile(CertificateSubjectProfile.Default, TestIdentities.Owner, "ss1").RawData);
    }

    [Theory]
    [InlineData("O", "CN", "C")]
    [InlineData("L", "SERIALNUMBER", "ST")]
    [InlineData("O", "SERIALNUMBER", null)]
    [InlineData("ST", "L", "O")]
    public void ForProfile_AnyProfile_NamesTheMemberUnderThatProfile(string classAttribute, string codeAttribute, string? instanceAttribute)
    {
        var profile = new CertificateSubjectProfile(classAttribute, codeAttribute, instanceAttribute);
        var member = MemberId.Parse("DEV/GOV/a,b+c=d");

        var signing = CertificateSubjects.ForProfile(profile, member, null);
        var authentication = CertificateSubjects.ForProfile(profile, member, "ss1");

        Assert.Equal(member, profile.TryGetMember(signing, "DEV").Value);
        Assert.Equal(member, profile.TryGetMember(authentication, "DEV").Value);
        Assert.Contains("ss1", authentication.Name, StringComparison.Ordinal);
        Assert.DoesNotContain("ss1", signing.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void ForProfile_ProfileUsingOu_PutsTheServerCodeInSerialNumber()
    {
        var profile = new CertificateSubjectProfile("OU", "CN", "C");

        var subject = CertificateSubjects.ForProfile(profile, TestIdentities.Owner, "ss1");

        Assert.Contains("SERIALNUMBER=ss1", subject.Name, StringComparison.Ordinal);
        Assert.Equal(TestIdentities.Owner, profile.TryGetMember(subject, "DEV").Value);
    }

    [Fact]
    public void ForProfile_ProfileUsingOuAndSerialNumber_LeavesTheServerCodeOut()
    {
        var profile = new CertificateSubjectProfile("OU", "SERIALNUMBER", "C");

        var subject = CertificateSubjects.ForProfile(profile, TestIdentities.Owner, "ss1");

        Assert.Equal(CertificateSubjects.ForProfile(profile, TestIdentities.Owner, null).RawData, subject.RawData);
        Assert.Equal(TestIdentities.Owner, profile.TryGetMember(subject, "DEV").Value);
    }

    [Fact]
    public void ForProfile_TwoPartsInOneAttribute_Throws() =>
        Assert.Throws<ArgumentException>(() => CertificateSubjects.ForProfile(new CertificateSubjectProfile("O", "O", "C"), TestIdentities.Owner, null));
}

using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Tests.Identifiers;

public sealed class IdentifierRoundTripTests
{
    [Fact]
    public void MemberId_ParseAndToString_RoundTrips()
    {
        var id = MemberId.Parse("EE/GOV/70000002");

        Assert.Equal("EE", id.Instance);
        Assert.Equal("GOV", id.MemberClass);
        Assert.Equal("70000002", id.MemberCode);
        Assert.Equal("EE/GOV/70000002", id.ToString());
        Assert.Equal(id, MemberId.Parse(id.ToString()));
    }

    [Fact]
    public void SubsystemId_ParseAndToString_RoundTrips()
    {
        var id = SubsystemId.Parse("EE/GOV/70000002/clinic");

        Assert.Equal(new MemberId("EE", "GOV", "70000002"), id.Member);
        Assert.Equal("clinic", id.SubsystemCode);
        Assert.Equal("EE/GOV/70000002/clinic", id.ToString());
        Assert.Equal(new SubsystemId("EE", "GOV", "70000002", "clinic"), id);
    }

    [Fact]
    public void ClientId_SubsystemForm_RoundTrips()
    {
        var id = ClientId.Parse("EE/GOV/70000002/clinic");

        Assert.True(id.IsSubsystem);
        Assert.Equal("clinic", id.SubsystemCode);
        Assert.Equal(XRoadObjectType.SUBSYSTEM, id.ObjectType);
        Assert.Equal("EE/GOV/70000002/clinic", id.ToString());
        Assert.Equal(SubsystemId.Parse("EE/GOV/70000002/clinic"), id.AsSubsystem());
    }

    [Fact]
    public void ClientId_MemberForm_RoundTrips()
    {
        var id = ClientId.Parse("EE/GOV/70000002");

        Assert.False(id.IsSubsystem);
        Assert.Null(id.SubsystemCode);
        Assert.Null(id.AsSubsystem());
        Assert.Equal(XRoadObjectType.MEMBER, id.ObjectType);
        Assert.Equal("EE/GOV/70000002", id.ToString());
    }

    [Fact]
    public void ClientId_Conversions_PreserveValue()
    {
        var member = new MemberId("EE", "GOV", "70000002");
        var subsystem = new SubsystemId(member, "clinic");

        ClientId fromMember = member;
        ClientId fromSubsystem = subsystem;

        Assert.Equal(new ClientId(member), fromMember);
        Assert.Equal(new ClientId(member, "clinic"), fromSubsystem);
        Assert.Equal(ClientId.FromMember(member), fromMember);
        Assert.Equal(ClientId.FromSubsystem(subsystem), fromSubsystem);
        Assert.NotEqual(fromMember, fromSubsystem);
    }

    [Fact]
    public void ServiceId_FiveParts_HasNoVersion()
    {
        var id = ServiceId.Parse("EE/GOV/70000001/hospital/patient-summary");

        Assert.Equal(new SubsystemId("EE", "GOV", "70000001", "hospital"), id.Client);
        Assert.Equal("patient-summary", id.ServiceCode);
        Assert.Null(id.ServiceVersion);
        Assert.Equal("EE/GOV/70000001/hospital/patient-summary", id.ToString());
    }

    [Fact]
    public void ServiceId_SixParts_HasVersion()
    {
        var id = ServiceId.Parse("EE/GOV/70000001/hospital/patient-summary/v1");

        Assert.Equal("v1", id.ServiceVersion);
        Assert.Equal("EE/GOV/70000001/hospital/patient-summary/v1", id.ToString());
        Assert.NotEqual(ServiceId.Parse("EE/GOV/70000001/hospital/patient-summary"), id);
    }

    [Theory]
    [InlineData("EE/GOV/70000001/patient-summary")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary/v1/extra")]
    public void ServiceIdTryParse_WrongPartCount_Fails(string text)
    {
        Assert.Equal("client.invalid_identifier", ServiceId.TryParse(text).ErrorCode);
    }

    [Fact]
    public void SecurityServerId_ParseAndToString_RoundTrips()
    {
        var id = SecurityServerId.Parse("EE/GOV/70000001/ss1");

        Assert.Equal(new MemberId("EE", "GOV", "70000001"), id.Owner);
        Assert.Equal("ss1", id.ServerCode);
        Assert.Equal("EE/GOV/70000001/ss1", id.ToString());
    }

    [Fact]
    public void GlobalGroupId_ParseAndToString_RoundTrips()
    {
        var id = GlobalGroupId.Parse("EE/security-officers");

        Assert.Equal("EE", id.Instance);
        Assert.Equal("security-officers", id.GroupCode);
        Assert.Equal("EE/security-officers", id.ToString());
    }

    [Fact]
    public void Equality_DifferentCase_IsNotEqual()
    {
        var upper = MemberId.Parse("EE/GOV/70000002");
        var lower = MemberId.Parse("EE/gov/70000002");

        Assert.NotEqual(upper, lower);
        Assert.NotEqual(ClientId.Parse("EE/GOV/1/clinic"), ClientId.Parse("EE/GOV/1/Clinic"));
        Assert.NotEqual(GlobalGroupId.Parse("EE/g"), GlobalGroupId.Parse("ee/g"));
    }

    [Fact]
    public void Equality_SameParts_IsEqualWithSameHashCode()
    {
        var a = ServiceId.Parse("EE/GOV/70000001/hospital/patient-summary/v1");
        var b = new ServiceId(new SubsystemId("EE", "GOV", "70000001", "hospital"), "patient-summary", "v1");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equality_ClientAndSubsystemOfSameText_AreDifferentTypes()
    {
        object client = ClientId.Parse("EE/GOV/1/clinic");
        object subsystem = SubsystemId.Parse("EE/GOV/1/clinic");

        Assert.False(client.Equals(subsystem));
        Assert.Equal(client.ToString(), subsystem.ToString());
    }

    [Fact]
    public void Parse_AllAllowedPunctuation_RoundTrips()
    {
        const string text = "EE/A'()+,-.=?z/0/x";

        Assert.Equal(text, ClientId.Parse(text).ToString());
    }
}

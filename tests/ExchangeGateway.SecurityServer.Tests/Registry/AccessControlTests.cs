using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

public sealed class AccessControlTests
{
    private static readonly LocalConfiguration Local = RegistrySamples.Configuration();

    [Theory]
    [InlineData("GET", "/patients/1/summary", AccessDecision.Allowed)]
    [InlineData("GET", "/patients/abc-123/summary", AccessDecision.Allowed)]
    [InlineData("POST", "/patients/1/notes", AccessDecision.Allowed)]
    [InlineData("POST", "/patients/1/summary", AccessDecision.AccessDenied)]
    [InlineData("get", "/patients/1/summary", AccessDecision.AccessDenied)]
    [InlineData("GET", "/patients/1/summary/", AccessDecision.AccessDenied)]
    [InlineData("GET", "/patients//summary", AccessDecision.InvalidPath)]
    [InlineData("GET", "/patients/1/2/summary", AccessDecision.AccessDenied)]
    [InlineData("GET", "/patients/1/Summary", AccessDecision.AccessDenied)]
    [InlineData("GET", "/Patients/1/summary", AccessDecision.AccessDenied)]
    [InlineData("GET", "/patients/1/summaryx", AccessDecision.AccessDenied)]
    [InlineData("GET", "/patients", AccessDecision.AccessDenied)]
    [InlineData("GET", "", AccessDecision.AccessDenied)]
    [InlineData("GET", "/public/x", AccessDecision.AccessDenied)]
    public void Decide_EndpointRights_MatchMethodAndGlob(string method, string path, AccessDecision expected)
    {
        Assert.Equal(expected, AccessControl.Decide(Local, null, RegistrySamples.Clinic, RegistrySamples.Service("records"), method, path));
    }

    [Theory]
    [InlineData("/public", AccessDecision.Allowed)]
    [InlineData("/public/", AccessDecision.Allowed)]
    [InlineData("/public/a", AccessDecision.Allowed)]
    [InlineData("/public/a/b/c.json", AccessDecision.Allowed)]
    [InlineData("/publicity", AccessDecision.AccessDenied)]
    [InlineData("/public/../patients/1/summary", AccessDecision.InvalidPath)]
    [InlineData("/public/%2e%2e/patients/1/summary", AccessDecision.InvalidPath)]
    [InlineData("/public/..%2Fpatients", AccessDecision.InvalidPath)]
    [InlineData("/public%2F..%2Fpatients", AccessDecision.InvalidPath)]
    public void Decide_DoubleStarGlob_MatchesAnyNumberOfSegmentsIncludingNone(string path, AccessDecision expected)
    {
        Assert.Equal(expected, AccessControl.Decide(Local, null, RegistrySamples.Pharmacy, RegistrySamples.Service("records"), "GET", path));
        Assert.Equal(
            expected == AccessDecision.Allowed ? AccessDecision.AccessDenied : expected,
            AccessControl.Decide(Local, null, RegistrySamples.Pharmacy, RegistrySamples.Service("records"), "DELETE", path));
    }

    [Fact]
    public void Decide_WholeServiceRight_AllowsAnyMethodAndPath()
    {
        foreach (var (method, path) in new[] { ("GET", ""), ("DELETE", "/x/y"), ("PATCH", "/"), ("OPTIONS", "/a;b=c") })
        {
            Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(Local, null, RegistrySamples.Clinic, RegistrySamples.Service("open"), method, path));
        }
    }

    [Fact]
    public void Decide_GroupRight_FollowsGlobalConfigurationMembership()
    {
        var service = RegistrySamples.Service("records");

        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(Local, RegistrySamples.Global(RegistrySamples.Lab), RegistrySamples.Lab, service, "DELETE", "/anything"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(Local, RegistrySamples.Global(RegistrySamples.Clinic), RegistrySamples.Lab, service, "DELETE", "/anything"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(Local, null, RegistrySamples.Lab, service, "DELETE", "/anything"));
    }

    [Fact]
    public void Decide_GroupMembershipOfTheMember_DoesNotGrantItsSubsystems()
    {
        var global = RegistrySamples.Global(ClientId.FromMember(RegistrySamples.Lab.Member));

        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(Local, global, RegistrySamples.Lab, RegistrySamples.Service("records"), "GET", "/"));
        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(Local, global, ClientId.FromMember(RegistrySamples.Lab.Member), RegistrySamples.Service("records"), "GET", "/"));
    }

    [Fact]
    public void Decide_NoRights_DeniesEveryone()
    {
        foreach (var caller in new[] { RegistrySamples.Clinic, RegistrySamples.Lab, RegistrySamples.Pharmacy, RegistrySamples.Provider })
        {
            Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(Local, RegistrySamples.Global(caller), caller, RegistrySamples.Service("closed"), "GET", "/"));
        }
    }

    [Fact]
    public void Decide_SubsystemRight_DoesNotGrantTheMemberOrAnotherSubsystem()
    {
        var service = RegistrySamples.Service("open");

        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(Local, null, ClientId.FromMember(RegistrySamples.Clinic.Member), service, "GET", "/"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(Local, null, ClientId.Parse("DEV/ORG/70000002/clinic2"), service, "GET", "/"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(Local, null, ClientId.Parse("DEV/ORG/70000002/Clinic"), service, "GET", "/"));
    }

    [Fact]
    public void Decide_IdentifiersCompareOrdinally_GovIsNotGov()
    {
        var local = LocalConfiguration.Create(RegistrySamples.ServerId,
        [
            new LocalClient
            {
                Id = RegistrySamples.Provider,
                Services = [RegistrySamples.Rest("s") with { AccessRights = [new AccessRight(AccessSubject.Parse("DEV/GOV/70000002/clinic"))] }],
            },
        ]);

        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(local, null, ClientId.Parse("DEV/GOV/70000002/clinic"), RegistrySamples.Service("s"), "GET", "/"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(local, null, ClientId.Parse("DEV/gov/70000002/clinic"), RegistrySamples.Service("s"), "GET", "/"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(local, null, ClientId.Parse("dev/GOV/70000002/clinic"), RegistrySamples.Service("s"), "GET", "/"));
        Assert.Equal(AccessDecision.UnknownService, AccessControl.Decide(local, null, ClientId.Parse("DEV/GOV/70000002/clinic"), RegistrySamples.Service("S"), "GET", "/"));
        Assert.Equal(AccessDecision.UnknownService, AccessControl.Decide(local, null, ClientId.Parse("DEV/GOV/70000002/clinic"), ServiceId.Parse("DEV/gov/70000001/hospital/s"), "GET", "/"));
    }

    [Fact]
    public void Decide_UnknownServiceOrClientOrVersion_IsUnknownService()
    {
        Assert.Equal(AccessDecision.UnknownService, AccessControl.Decide(Local, null, RegistrySamples.Clinic, RegistrySamples.Service("nope"), "GET", "/"));
        Assert.Equal(AccessDecision.UnknownService, AccessControl.Decide(Local, null, RegistrySamples.Clinic, ServiceId.Parse("DEV/GOV/70000001/other/open"), "GET", "/"));
        Assert.Equal(AccessDecision.UnknownService, AccessControl.Decide(Local, null, RegistrySamples.Clinic, ServiceId.Parse("DEV/GOV/70000001/hospital/open/v1"), "GET", "/"));
    }

    [Fact]
    public void Decide_DisabledService_IsToldOnlyToCallersWithARight()
    {
        Assert.Equal(AccessDecision.ServiceDisabled, AccessControl.Decide(Local, null, RegistrySamples.Clinic, RegistrySamples.Service("off"), "GET", "/"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(Local, null, RegistrySamples.Pharmacy, RegistrySamples.Service("off"), "GET", "/"));
    }

    [Fact]
    public void Decide_InvalidPath_IsDecidedBeforeTheServiceIsLookedUp()
    {
        Assert.Equal(AccessDecision.InvalidPath, AccessControl.Decide(Local, null, RegistrySamples.Clinic, RegistrySamples.Service("nope"), "GET", "/a/../b"));
    }

    public static TheoryData<string> FixedBypassList() =>
    [
        "/public/..%2Fpatients/1/summary",
        "/public%2F..%2Fpatients/1/summary",
        "/public/%2e%2e/patients/1/summary",
        "/public/%2E%2E/patients/1/summary",
        "/public/.%2e/patients/1/summary",
        "/public/%2e./patients/1/summary",
        "/public/../patients/1/summary",
        "/public/./../patients/1/summary",
        "/public/..;/patients/1/summary",
        "/public/..%3B/patients/1/summary",
        "/public/..%20/patients/1/summary",
        "/public/...%20/patients/1/summary",
        "/public/%252e%252e/patients/1/summary",
        "/public/%25252e%25252e/patients/1/summary",
        "/public/..%255Cpatients/1/summary",
        "/public/..%5Cpatients/1/summary",
        "/public/..%5cpatients/1/summary",
        "/public\\..\\patients/1/summary",
        "/public/%00/../patients",
        "/public/%00",
        "/public/a%00b",
        "/public/%0d%0aX-Injected:1",
        "/public/%09",
        "/public/%7F",
        "/public/\u0000",
        "/public/\t",
        "/public/a b",
        "/public/a ",
        "/public/%ef%bc%8e%ef%bc%8e/patients/1/summary",
        "/public/%EF%BC%8F..%EF%BC%8Fpatients",
        "/public/\uff0e\uff0e/patients/1/summary",
        "/public/\uff0fpatients",
        "/public/%e2%80%a5/patients/1/summary",
        "/public/%c0%ae%c0%ae/patients/1/summary",
        "/public/%e0%80%ae%e0%80%ae/patients",
        "/public/%",
        "/public/%2",
        "/public/%zz",
        "/public/%g0",
        "/public//patients",
        "/public/x?y",
        "/public/x#y",
        "public/x",
    ];

    [Theory]
    [MemberData(nameof(FixedBypassList))]
    public void Decide_KnownBypassEncodings_AreInvalidPathNeverAllowed(string path)
    {
        var decision = AccessControl.Decide(Local, null, RegistrySamples.Pharmacy, RegistrySamples.Service("records"), "GET", path);

        Assert.Equal(AccessDecision.InvalidPath, decision);
    }

    [Theory]
    [InlineData("/public/a%20b")]
    [InlineData("/public/%41")]
    [InlineData("/public/%c3%b5un")]
    [InlineData("/public/a;v=1")]
    [InlineData("/public/...x")]
    [InlineData("/public/.well-known")]
    [InlineData("/public/%25")]
    [InlineData("/public/a:b@c")]
    [InlineData("/public/%2e%2ex")]
    public void Decide_HarmlessEncodings_AreMatchedLiterally(string path)
    {
        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(Local, null, RegistrySamples.Pharmacy, RegistrySamples.Service("records"), "GET", path));
    }

    [Theory]
    [InlineData("/patients/1/summary ")]
    [InlineData("/patients/1/summary%20")]
    [InlineData("/patients/1/%73ummary")]
    [InlineData("/patients/1/summar%79")]
    [InlineData("/%70atients/1/summary")]
    [InlineData("/patients/1/SUMMARY")]
    [InlineData("/patients/1/\uff53ummary")]
    [InlineData("/patients/1/%ef%bd%93ummary")]
    public void Decide_TransformsOfAnAllowedPathByAnotherCaller_NeverAllow(string path)
    {
        // The pharmacy may read /public/** only; no spelling of a patient path lets it in.
        var decision = AccessControl.Decide(Local, null, RegistrySamples.Pharmacy, RegistrySamples.Service("records"), "GET", path);

        Assert.Contains(decision, new[] { AccessDecision.AccessDenied, AccessDecision.InvalidPath });
    }

    [Fact]
    public void ToErrorCode_EveryRefusal_HasTheXRoadCode()
    {
        Assert.Equal("server.serverproxy.unknown_service", AccessDecision.UnknownService.ToErrorCode().Value);
        Assert.Equal("server.serverproxy.service_disabled", AccessDecision.ServiceDisabled.ToErrorCode().Value);
        Assert.Equal("server.serverproxy.access_denied", AccessDecision.AccessDenied.ToErrorCode().Value);
        Assert.Equal("client.bad_request", AccessDecision.InvalidPath.ToErrorCode().Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => AccessDecision.Allowed.ToErrorCode());
    }
}

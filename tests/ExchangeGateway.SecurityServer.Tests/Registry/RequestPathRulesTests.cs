using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

public sealed class RequestPathRulesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/a/b/")]
    [InlineData("/a-b_c.d~e/f!$&'()*+,;=:@")]
    [InlineData("/%41%42/%c3%a4")]
    [InlineData("/.well-known/x")]
    [InlineData("/a.b/..c/c..")]
    [InlineData("/%25")]
    [InlineData("/%2541")]
    public void Check_OrdinaryPaths_AreAccepted(string path)
    {
        Assert.Null(RequestPathRules.Check(path));
    }

    [Theory]
    [InlineData("a", "does not start with '/'")]
    [InlineData("/a//b", "segment 2 is empty")]
    [InlineData("//", "segment 1 is empty")]
    [InlineData("/..", "segment 1 is a dot segment")]
    [InlineData("/a/.", "segment 2 is a dot segment")]
    [InlineData("/a/..;x", "segment 2 is a dot segment")]
    [InlineData("/%2e", "segment 1 is an encoded dot segment")]
    [InlineData("/%2E%2e", "segment 1 is an encoded dot segment")]
    [InlineData("/%252E%252E", "segment 1 is an encoded dot segment")]
    [InlineData("/a%2fb", "encoded '/'")]
    [InlineData("/a%2Fb", "encoded '/'")]
    [InlineData("/a%5cb", "encoded '\\'")]
    [InlineData("/a%00", "encoded NUL")]
    [InlineData("/a%1b%5b31m", "encoded control character")]
    [InlineData("/a%0A", "encoded control character")]
    [InlineData("/a%C2%85", "encoded control character")]
    [InlineData("/a%", "malformed percent-encoding")]
    [InlineData("/a%4", "malformed percent-encoding")]
    [InlineData("/a%4g", "malformed percent-encoding")]
    [InlineData("/a%ff", "not UTF-8")]
    [InlineData("/a%c0%af", "not UTF-8")]
    [InlineData("/a b", "U+0020")]
    [InlineData("/a\u00e4", "U+00E4")]
    [InlineData("/a\"", "U+0022")]
    [InlineData("/a<b>", "U+003C")]
    [InlineData("/a\\b", "U+005C")]
    [InlineData("/%ef%bc%8f", "normalises to it")]
    [InlineData("/%e2%88%95", "normalises to it")]
    [InlineData("/%ef%bc%bc", "normalises to it")]
    [InlineData("/%ef%b9%92%ef%b9%92", "encoded dot segment")]
    [InlineData("/%2525252e", "more than 3 times")]
    [InlineData("/%20", "segment 1 is blank")]
    [InlineData("/a/%20%20/b", "segment 2 is blank")]
    [InlineData("/a/%e3%80%80", "segment 2 is blank")]
    [InlineData("/a%3Bb", "encoded ';', '?' or '#'")]
    [InlineData("/a%3fb", "encoded ';', '?' or '#'")]
    [InlineData("/a%23b", "encoded ';', '?' or '#'")]
    [InlineData("/a%253Bb", "encoded ';', '?' or '#'")]
    [InlineData("/%20%25253Bx", "segment 1 is blank")]
    public void Check_AmbiguousPaths_AreRefusedWithAReason(string path, string expected)
    {
        var problem = RequestPathRules.Check(path);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Message_NeverQuotesThePath()
    {
        var problem = RequestPathRules.Check("/secret-patient-name/%00");

        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a/b", "/a/b")]
    [InlineData("/a;x/b;y=1", "/a/b")]
    [InlineData("/files/secret.txt;.pdf", "/files/secret.txt")]
    [InlineData("/;x", "/")]
    public void WithoutPathParameters_RemovesSegmentParameters(string path, string expected)
    {
        Assert.Equal(expected, RequestPathRules.WithoutPathParameters(path));
    }

    [Fact]
    public void Decide_ParameterTrick_DoesNotPassAsTheGlobsExtension()
    {
        var local = LocalConfiguration.Create(RegistrySamples.ServerId,
        [
            new LocalClient
            {
                Id = RegistrySamples.Provider,
                Services = [RegistrySamples.Rest("files") with { AccessRights = [new AccessRight(AccessSubject.ForSubsystem(RegistrySamples.Clinic.AsSubsystem()!), "GET", PathGlob.Parse("/files/*.pdf"))] }],
            },
        ]);

        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(local, null, RegistrySamples.Clinic, RegistrySamples.Service("files"), "GET", "/files/a.pdf"));

        // Both readings must match: "a.pdf;v=1" is not "*.pdf" for a server that keeps parameters.
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(local, null, RegistrySamples.Clinic, RegistrySamples.Service("files"), "GET", "/files/a.pdf;v=1"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(local, null, RegistrySamples.Clinic, RegistrySamples.Service("files"), "GET", "/files/secret.txt;.pdf"));
        Assert.Equal(AccessDecision.InvalidPath, AccessControl.Decide(local, null, RegistrySamples.Clinic, RegistrySamples.Service("files"), "GET", "/files/secret.txt%3B.pdf"));
        Assert.Equal(AccessDecision.InvalidPath, AccessControl.Decide(local, null, RegistrySamples.Clinic, RegistrySamples.Service("files"), "GET", "/files/secret.txt%3F.pdf"));
    }
}

using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

/// <summary>
/// RELIABILITY.md row 10 under FsCheck 3.4: for every encoding transform t of a request whose canonical form
/// is denied, Decide(t(request)) is a denial or a 400. 2 000 cases from a fixed replay seed. The cases come
/// from <see cref="AccessControlProperties"/>, drawn from a seed that FsCheck generates.
/// </summary>
public sealed class AccessControlFsCheckTests
{
    private const int Cases = 2000;

    private static readonly FsCheck.Config Config = FsCheck.Config.QuickThrowOnFailure
        .WithMaxTest(Cases)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(0x5EED_0A11UL, 0x9E37_79B9_7F4A_7C15UL), FSharpOption<int>.None)));

    private static readonly ServiceId Service = RegistrySamples.Service("svc");

    [Fact]
    public void Decide_AnyEncodingTransformOfADeniedPath_IsDeniedOrInvalid()
    {
        var cases = 0;
        var gen = Gen.Choose(0, int.MaxValue).Select(seed => DeniedRequest(new Random(seed), transformIdentifiers: false));

        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            cases++;
            var decision = AccessControl.Decide(c.Local, AccessControlProperties.Global, c.Caller, Service, c.Method, c.Transformed);

            Assert.True(
                decision is AccessDecision.AccessDenied or AccessDecision.InvalidPath,
                $"{c.Caller} {c.Method} '{c.Path}' is denied but '{c.Transformed}' gave {decision}");
        }).Check(Config);

        Assert.Equal(Cases, cases);
    }

    [Fact]
    public void Decide_AnyEncodingTransformOfDeniedIdentifiers_IsRejectedOrDenied()
    {
        var cases = 0;
        var gen = Gen.Choose(0, int.MaxValue).Select(seed => DeniedRequest(new Random(seed), transformIdentifiers: true));

        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            cases++;
            var caller = ClientId.TryParseEncoded(c.Header);
            var target = RestServicePath.TryParse(c.Target + c.Path);
            if (!caller.Success || !target.Success)
            {
                return;
            }

            var decision = AccessControl.Decide(c.Local, AccessControlProperties.Global, caller.Value, target.Value.Service, c.Method, target.Value.Path);

            Assert.True(
                decision is AccessDecision.AccessDenied or AccessDecision.UnknownService or AccessDecision.InvalidPath,
                $"'{c.Header}' → '{c.Target}{c.Path}' gave {decision}");
        }).Check(Config);

        Assert.Equal(Cases, cases);
    }

    [Theory]
    [InlineData("/public/%2F../admin")]
    [InlineData("/public/%2e%2e/admin")]
    [InlineData("/public/../admin")]
    [InlineData("/public/%00/admin")]
    [InlineData("/public/\uff0e\uff0e/admin")]
    [InlineData("/public/%ef%bc%8e%ef%bc%8e/admin")]
    [InlineData("/admin ")]
    [InlineData("/admin%20")]
    public void Decide_FixedList_IsNeverAllowed(string path)
    {
        var local = LocalConfiguration.Create(RegistrySamples.ServerId,
        [
            new LocalClient
            {
                Id = RegistrySamples.Provider,
                Services = [RegistrySamples.Rest("svc") with { AccessRights = [new AccessRight(AccessSubject.ForSubsystem(RegistrySamples.Clinic.AsSubsystem()!), "GET", PathGlob.Parse("/public/**"))] }],
            },
        ]);

        var decision = AccessControl.Decide(local, null, RegistrySamples.Clinic, Service, "GET", path);

        Assert.Contains(decision, new[] { AccessDecision.AccessDenied, AccessDecision.InvalidPath });
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(local, null, ClientId.Parse("DEV/ORG/70000002/CLINIC"), Service, "GET", "/public/x"));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(local, null, ClientId.Parse("DEV/org/70000002/clinic"), Service, "GET", "/public/x"));
    }

    // Draws until the canonical request is denied (bounded), then transforms it; deterministic per seed.
    private static DeniedCase DeniedRequest(Random random, bool transformIdentifiers)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var local = AccessControlProperties.Configuration(random);
            var (caller, method, path) = AccessControlProperties.Request(random);
            if (AccessControl.Decide(local, AccessControlProperties.Global, caller, Service, method, path) != AccessDecision.AccessDenied)
            {
                continue;
            }

            var header = caller.ToString();
            var target = Service.ToString();
            if (transformIdentifiers)
            {
                if (random.Next(2) == 0)
                {
                    header = AccessControlProperties.TransformIdentifier(random, header);
                }
                else
                {
                    target = AccessControlProperties.TransformIdentifier(random, target);
                }
            }

            return new DeniedCase(local, caller, method, path, AccessControlProperties.TransformPath(random, path), header, target);
        }

        throw new InvalidOperationException("No denied request in 1000 draws.");
    }

    private sealed record DeniedCase(LocalConfiguration Local, ClientId Caller, string Method, string Path, string Transformed, string Header, string Target);
}

using System.Text.RegularExpressions;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

/// <summary>
/// RELIABILITY.md row 10 as properties: for every encoding transform t of a request whose canonical form is
/// denied, the decision on t(request) is a denial or a 400, never Allowed. 2 000 cases each from a fixed
/// seed, so a failure reproduces everywhere; the message names the seed and the case.
/// </summary>
/// <remarks>
/// This project does not reference FsCheck (its csproj is not ours to change in this issue), so the cases
/// are drawn from <see cref="Random"/> with a fixed seed; <see cref="AccessControlProperties"/> is written so
/// that the same generators run under FsCheck's <c>Prop.ForAll</c> once the package is referenced.
/// </remarks>
public sealed class AccessControlPropertyTests
{
    private const int Seed = 0x5EED_0A11;
    private const int Cases = 2000;
    private const int MaxAttempts = Cases * 20;

    [Fact]
    public void Decide_AnyEncodingTransformOfADeniedPath_IsDeniedOrInvalidNeverAllowed()
    {
        var random = new Random(Seed);
        var seen = new Dictionary<AccessDecision, int>();
        var cases = 0;
        for (var attempt = 0; attempt < MaxAttempts && cases < Cases; attempt++)
        {
            var local = AccessControlProperties.Configuration(random);
            var (caller, method, path) = AccessControlProperties.Request(random);
            var service = RegistrySamples.Service("svc");
            if (AccessControl.Decide(local, AccessControlProperties.Global, caller, service, method, path) != AccessDecision.AccessDenied)
            {
                continue;
            }

            var transformed = AccessControlProperties.TransformPath(random, path);
            var decision = AccessControl.Decide(local, AccessControlProperties.Global, caller, service, method, transformed);

            Assert.True(
                decision is AccessDecision.AccessDenied or AccessDecision.InvalidPath,
                $"seed {Seed}, case {cases}: {caller} {method} '{Escape(path)}' is denied but '{Escape(transformed)}' gave {decision}; rights: {Rights(local)}");
            seen[decision] = seen.GetValueOrDefault(decision) + 1;
            cases++;
        }

        Assert.Equal(Cases, cases);

        // Both outcomes must be exercised, or the transforms are not testing anything.
        Assert.True(seen.GetValueOrDefault(AccessDecision.InvalidPath) > Cases / 10, $"only {seen.GetValueOrDefault(AccessDecision.InvalidPath)} invalid");
        Assert.True(seen.GetValueOrDefault(AccessDecision.AccessDenied) > Cases / 10, $"only {seen.GetValueOrDefault(AccessDecision.AccessDenied)} denied");
    }

    [Fact]
    public void Decide_AnyEncodingTransformOfDeniedIdentifiers_IsRejectedOrDeniedNeverAllowed()
    {
        var random = new Random(Seed + 1);
        var cases = 0;
        var parseFailures = 0;
        for (var attempt = 0; attempt < MaxAttempts && cases < Cases; attempt++)
        {
            var local = AccessControlProperties.Configuration(random);
            var (caller, method, path) = AccessControlProperties.Request(random);
            var service = RegistrySamples.Service("svc");
            if (AccessControl.Decide(local, AccessControlProperties.Global, caller, service, method, path) != AccessDecision.AccessDenied)
            {
                continue;
            }

            // The full client-side pipeline: X-Road-Client header and the raw /r1/ target, parsed from raw text.
            var header = caller.ToString();
            var target = service.ToString();
            if (random.Next(2) == 0)
            {
                header = AccessControlProperties.TransformIdentifier(random, header);
            }
            else
            {
                target = AccessControlProperties.TransformIdentifier(random, target);
            }

            var parsedCaller = ClientId.TryParseEncoded(header);
            var parsedTarget = RestServicePath.TryParse(target + path);
            cases++;
            if (!parsedCaller.Success || !parsedTarget.Success)
            {
                parseFailures++;
                continue;
            }

            var decision = AccessControl.Decide(local, AccessControlProperties.Global, parsedCaller.Value, parsedTarget.Value.Service, method, parsedTarget.Value.Path);

            Assert.True(
                decision is AccessDecision.AccessDenied or AccessDecision.UnknownService or AccessDecision.InvalidPath,
                $"seed {Seed + 1}, case {cases}: '{Escape(header)}' → '{Escape(target)}{Escape(path)}' gave {decision}; rights: {Rights(local)}");
        }

        Assert.Equal(Cases, cases);
        Assert.InRange(parseFailures, Cases / 10, Cases - (Cases / 10));
    }

    [Fact]
    public void IsMatch_RandomGlobsAndPaths_AgreesWithANaiveReference()
    {
        var random = new Random(Seed + 2);
        string[] globWords = ["a", "b", "ab", "*", "**", "a*", "*b", "*a*", ""];
        string[] pathWords = ["a", "b", "ab", "ba", "aab", "", "x"];
        for (var i = 0; i < Cases; i++)
        {
            var glob = "/" + string.Join('/', Enumerable.Range(0, random.Next(0, 5)).Select(_ => globWords[random.Next(globWords.Length)]));
            var path = "/" + string.Join('/', Enumerable.Range(0, random.Next(0, 6)).Select(_ => pathWords[random.Next(pathWords.Length)]));
            var parsed = PathGlob.TryParse(glob);
            if (!parsed.Success)
            {
                Assert.Contains("empty", parsed.Message, StringComparison.Ordinal);
                continue;
            }

            if (RequestPathRules.Check(path) is not null)
            {
                continue;
            }

            Assert.True(
                Reference(Segments(glob), Segments(path)) == parsed.Value.IsMatch(path),
                $"seed {Seed + 2}, case {i}: glob '{glob}' on '{path}'");
        }
    }

    // The specification, written naively: '**' takes zero or more segments; a segment pattern never takes an
    // empty segment, except the trailing empty pattern of "/x/", which takes only the trailing empty segment.
    private static bool Reference(ReadOnlySpan<string> glob, ReadOnlySpan<string> path)
    {
        if (glob.IsEmpty)
        {
            return path.IsEmpty;
        }

        if (glob[0] == "**")
        {
            return Reference(glob[1..], path) || (!path.IsEmpty && Reference(glob, path[1..]));
        }

        if (path.IsEmpty)
        {
            return false;
        }

        if (glob[0].Length == 0 || path[0].Length == 0)
        {
            return glob[0].Length == 0 && path[0].Length == 0 && Reference(glob[1..], path[1..]);
        }

        var regex = "^" + Regex.Escape(glob[0]).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(path[0], regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) && Reference(glob[1..], path[1..]);
    }

    private static string[] Segments(string path) => path.Length <= 1 ? (path == "/" ? [string.Empty] : []) : path[1..].Split('/');

    private static string Rights(LocalConfiguration local) =>
        string.Join("; ", local.Clients[0].Services[0].AccessRights.Select(r => $"{r.Subject} {r.Method ?? "-"} {r.Path?.Text ?? "-"}"));

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
}

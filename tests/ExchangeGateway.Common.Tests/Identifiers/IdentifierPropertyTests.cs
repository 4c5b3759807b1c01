using System.Text;
using ExchangeGateway.Common.Identifiers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace ExchangeGateway.Common.Tests.Identifiers;

public sealed class IdentifierPropertyTests
{
    private const string InvalidIdentifier = "client.invalid_identifier";
    private const string Allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'()+,-.=?";

    // Characters that tend to break identifier parsers, mixed with valid ones and separators.
    private const string Hostile = Allowed + "//////%%%%....__ \t\r\n\0\u001b\u007f\u0085\u00a0\u00e4\uff21\uff0f\u200b\u202e\u2215\\:;@[]{}|\"<>&#`^!$*~";

    // Fixed seed so that a failure reproduces on every machine.
    private const int Cases = 2000;

    private static readonly Config Config = Config.QuickThrowOnFailure
        .WithMaxTest(Cases)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(0x5EED_2024UL, 0x9E37_79B9_7F4A_7C15UL), FSharpOption<int>.None)));

    private static readonly Gen<string> ValidPart =
        from length in Gen.Frequency((20, Gen.Choose(1, 12)), (1, Gen.Choose(240, 255)))
        from chars in Gen.ArrayOf(Gen.Elements(Allowed.ToCharArray()), length)
        let part = new string(chars)
        where part is not "." and not ".."
        select part;

    private static readonly Gen<ClientId> ValidClient =
        from instance in ValidPart
        from memberClass in ValidPart
        from memberCode in ValidPart
        from hasSubsystem in Gen.Elements(true, false)
        from subsystem in ValidPart
        select new ClientId(new MemberId(instance, memberClass, memberCode), hasSubsystem ? subsystem : null);

    private static readonly Gen<ServiceId> ValidRestService =
        from client in ValidClient
        from subsystem in ValidPart
        from code in ValidPart
        select new ServiceId(new SubsystemId(client.Member, subsystem), code);

    private static readonly Gen<string> HostileText =
        from length in Gen.Choose(0, 40)
        from chars in Gen.ArrayOf(Gen.Elements(Hostile.ToCharArray()), length)
        select new string(chars);

    private static readonly Gen<string> AnyUtf16Text =
        from length in Gen.Choose(0, 30)
        from chars in Gen.ArrayOf(Gen.Choose(0, char.MaxValue).Select(i => (char)i), length)
        select new string(chars);

    // A valid id with one character inserted somewhere: the near-misses a fuzzer would try.
    private static readonly Gen<string> MutatedClient =
        from client in ValidClient
        from position in Gen.Choose(0, 10_000)
        from inserted in Gen.Elements(Hostile.ToCharArray())
        let text = client.ToString()
        let at = position % (text.Length + 1)
        select text.Insert(at, inserted.ToString());

    private static readonly Gen<string> ArbitraryText = Gen.Frequency(
        (3, HostileText),
        (2, AnyUtf16Text),
        (2, MutatedClient),
        (1, ValidClient.Select(c => c.ToString())));

    [Fact]
    public void ClientIdTryParseEncoded_AnyValidPercentEncoding_ParsesToSameCanonicalId()
    {
        var cases = 0;
        var gen =
            from client in ValidClient
            from encoded in EncodeId(client.ToString(), encodeQuestionMark: false)
            select (client, encoded);

        Prop.ForAll(gen.ToArbitrary(), pair =>
        {
            cases++;
            var result = ClientId.TryParseEncoded(pair.encoded);

            Assert.True(result.Success, $"{pair.encoded}: {result.Message}");
            Assert.Equal(pair.client, result.Value);
            Assert.Equal(pair.client.ToString(), result.Value.ToString());
        }).Check(Config);

        Assert.Equal(Cases, cases);
    }

    [Fact]
    public void RestServicePathTryParse_AnyValidPercentEncoding_ParsesToSameServiceAndRawRemainder()
    {
        var cases = 0;
        var remainders = Gen.Elements("", "/", "/a/b", "/a%2Fb?x=1", "?q", "/%2e%2e/x?y=%00");
        var gen =
            from service in ValidRestService
            from encoded in EncodeId(service.ToString(), encodeQuestionMark: true)
            from remainder in remainders
            select (service, encoded, remainder);

        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            cases++;
            var result = RestServicePath.TryParse(t.encoded + t.remainder);

            Assert.True(result.Success, $"{t.encoded}{t.remainder}: {result.Message}");
            Assert.Equal(t.service, result.Value.Service);
            Assert.Equal(t.remainder, result.Value.Path + result.Value.Query);
        }).Check(Config);

        Assert.Equal(Cases, cases);
    }

    [Fact]
    public void ClientIdTryParse_ArbitraryText_EitherRoundTripsCanonicallyOrFailsWithInvalidIdentifier()
    {
        var cases = 0;
        Prop.ForAll(ArbitraryText.ToArbitrary(), text =>
        {
            cases++;
            var result = ClientId.TryParse(text);
            if (result.Success)
            {
                var canonical = result.Value.ToString();
                Assert.Equal(text, canonical);
                var again = ClientId.TryParse(canonical);
                Assert.True(again.Success);
                Assert.Equal(result.Value, again.Value);
                Assert.Equal(canonical, again.Value.ToString());
            }
            else
            {
                Assert.Equal(InvalidIdentifier, result.ErrorCode);
                Assert.DoesNotContain(result.Message!, char.IsControl);
            }
        }).Check(Config);

        Assert.Equal(Cases, cases);
    }

    [Fact]
    public void ClientIdTryParseEncoded_ArbitraryText_EitherReparsesCanonicallyOrFailsWithInvalidIdentifier()
    {
        var cases = 0;
        Prop.ForAll(ArbitraryText.ToArbitrary(), text =>
        {
            cases++;
            var result = ClientId.TryParseEncoded(text);
            if (result.Success)
            {
                var canonical = result.Value.ToString();
                var again = ClientId.TryParse(canonical);
                Assert.True(again.Success);
                Assert.Equal(result.Value, again.Value);
                Assert.Equal(canonical, again.Value.ToString());
            }
            else
            {
                Assert.Equal(InvalidIdentifier, result.ErrorCode);
                Assert.DoesNotContain(result.Message!, char.IsControl);
            }
        }).Check(Config);

        Assert.Equal(Cases, cases);
    }

    [Fact]
    public void RestServicePathTryParse_ArbitraryText_NeverThrowsAndFailsOnlyWithInvalidIdentifier()
    {
        var cases = 0;
        var gen = Gen.Frequency(
            (3, ArbitraryText),
            (1, ValidRestService.Select(s => s.ToString().Replace("?", "%3F", StringComparison.Ordinal))
                .SelectMany(s => HostileText.Select(tail => s + tail))));

        Prop.ForAll(gen.ToArbitrary(), text =>
        {
            cases++;
            var result = RestServicePath.TryParse(text);
            if (result.Success)
            {
                Assert.Equal(result.Value.Service, ServiceId.Parse(result.Value.Service.ToString()));
                Assert.True(result.Value.Path.Length == 0 || result.Value.Path[0] == '/');
                Assert.True(result.Value.Query.Length == 0 || result.Value.Query[0] == '?');
                Assert.EndsWith(result.Value.Path + result.Value.Query, text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(InvalidIdentifier, result.ErrorCode);
            }
        }).Check(Config);

        Assert.Equal(Cases, cases);
    }

    // Encodes each character of each part either literally or as %XX in upper, lower or mixed hex,
    // keeping the '/' separators literal. '?' must be encoded inside a request target.
    private static Gen<string> EncodeId(string canonical, bool encodeQuestionMark) =>
        Gen.ArrayOf(Gen.Choose(0, 3), canonical.Length).Select(modes =>
        {
            var sb = new StringBuilder(canonical.Length * 3);
            for (var i = 0; i < canonical.Length; i++)
            {
                var c = canonical[i];
                var mode = modes[i];
                if (c == '/' || (mode == 0 && !(encodeQuestionMark && c == '?')))
                {
                    sb.Append(c);
                    continue;
                }

                var hex = ((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
                sb.Append('%');
                sb.Append(mode == 2 ? hex.ToLowerInvariant() : hex);
                if (mode == 3)
                {
                    sb[^1] = char.ToLowerInvariant(sb[^1]);
                }
            }

            return sb.ToString();
        });
}

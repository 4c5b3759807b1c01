using System.Globalization;
using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

/// <summary>
/// Generators and transforms for the access-control properties (RELIABILITY.md row 10), written against
/// <see cref="Random"/> so that the same cases run from a fixed seed here and under FsCheck
/// (<c>Gen.Choose(...).Select(seed => …(new Random(seed)))</c>).
/// </summary>
internal static class AccessControlProperties
{
    private static readonly string[] PathWords = ["a", "b", "c", "public", "admin", "x1", "f.json", "v1", "pets", "42"];
    private static readonly string[] GlobWords = ["a", "b", "public", "pets", "*", "**", "x*", "*.json", "v*", "**"];
    private static readonly string[] Methods = ["GET", "POST", "DELETE", "PUT"];
    private static readonly ClientId Member = ClientId.FromMember(RegistrySamples.Clinic.Member);

    /// <summary>A random provider configuration: service <c>svc</c> with one to four rights over a small vocabulary.</summary>
    public static LocalConfiguration Configuration(Random random)
    {
        var rights = new List<AccessRight>();
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var subject = random.Next(3) switch
            {
                0 => AccessSubject.ForSubsystem(RegistrySamples.Clinic.AsSubsystem()!),
                1 => AccessSubject.ForSubsystem(RegistrySamples.Pharmacy.AsSubsystem()!),
                _ => AccessSubject.ForGroup(RegistrySamples.Hospitals),
            };
            var method = random.Next(4) switch
            {
                0 => null,
                1 => "*",
                _ => Methods[random.Next(Methods.Length)],
            };
            PathGlob? path = null;
            if (random.Next(5) != 0)
            {
                var segments = Enumerable.Range(0, random.Next(0, 4)).Select(_ => GlobWords[random.Next(GlobWords.Length)]);
                path = PathGlob.Parse("/" + string.Join('/', segments));
            }

            rights.Add(new AccessRight(subject, method, path));
        }

        return LocalConfiguration.Create(RegistrySamples.ServerId,
        [
            new LocalClient { Id = RegistrySamples.Provider, Services = [RegistrySamples.Rest("svc") with { AccessRights = [.. rights] }] },
        ]);
    }

    /// <summary>A canonical request: a known caller, a method and a plain path of zero to five words.</summary>
    public static (ClientId Caller, string Method, string Path) Request(Random random)
    {
        ClientId caller = random.Next(4) switch
        {
            0 => RegistrySamples.Clinic,
            1 => RegistrySamples.Pharmacy,
            2 => RegistrySamples.Lab,
            _ => Member,
        };
        var words = Enumerable.Range(0, random.Next(0, 6)).Select(_ => PathWords[random.Next(PathWords.Length)]).ToList();
        var path = words.Count == 0 ? (random.Next(2) == 0 ? string.Empty : "/") : "/" + string.Join('/', words);
        if (words.Count > 0 && random.Next(6) == 0)
        {
            path += "/";
        }

        return (caller, Methods[random.Next(Methods.Length)], path);
    }

    /// <summary>Global configuration where the lab is a hospital.</summary>
    public static GlobalConfiguration Global { get; } = RegistrySamples.Global(RegistrySamples.Lab);

    /// <summary>
    /// Up to two re-encodings of the canonical path's own characters (percent-encoding in any hex case, once
    /// or more; look-alike dots and separators; path parameters; case), then usually one injection (dot
    /// segments raw and encoded, a parent trick, NUL and controls, spaces, malformed encoding). Injections
    /// come last so that a later encoding step never turns injected text into an ordinary new name: the
    /// result must mean the canonical path, or be refused.
    /// </summary>
    public static string TransformPath(Random random, string path)
    {
        var result = path.Length == 0 ? "/" : path;
        var encodings = random.Next(0, 3);
        for (var i = 0; i < encodings && result.Trim('/').Length > 0; i++)
        {
            result = Encodings[random.Next(Encodings.Length)](random, result);
        }

        if (result == path || random.Next(4) != 0)
        {
            result = Injections[random.Next(Injections.Length)](random, result);
        }

        return result;
    }

    /// <summary>An encoding trick applied to canonical identifier text (a header value or the /r1/ target's parts).</summary>
    public static string TransformIdentifier(Random random, string text)
    {
        var parts = text.Split('/');
        var i = random.Next(parts.Length);
        parts[i] = random.Next(9) switch
        {
            0 => PercentEncodeAll(random, parts[i]),
            1 => FlipCase(random, parts[i]),
            2 => parts[i] + " ",
            3 => parts[i] + "%20",
            4 => Fullwidth(parts[i]),
            5 => parts[i] + "%2F" + parts[i],
            6 => "%2e%2e",
            7 => parts[i] + "%00",
            _ => "\u0000" + parts[i],
        };
        return string.Join('/', parts);
    }

    private static readonly Func<Random, string, string>[] Encodings =
    [
        // Percent-encode one character, or every character of one segment, in random hex case.
        (r, p) => EncodeAt(r, p, r.Next(p.Length)),
        (r, p) => MapSegment(r, p, s => PercentEncodeAll(r, s)),

        // Double and triple encoding of one character.
        (r, p) => DoubleEncodeAt(r, p, r.Next(p.Length), r.Next(1, 3)),

        // Separators encoded or replaced by look-alikes; look-alike dots.
        (r, p) => ReplaceSlash(r, p, Pick(r, "%2F", "%2f", "%5C", "%5c", "\\", "%252F", "%ef%bc%8f", "\uff0f", "%e2%88%95", "//")),
        (r, p) => ReplaceChar(r, p, '.', Pick(r, "\uff0e", "%ef%bc%8e", "%e2%80%a4", "%2e")),

        // Path parameters and case.
        (r, p) => MapSegment(r, p, s => s + Pick(r, ";", ";x", ";jsessionid=1", ";.json")),
        (r, p) => FlipCase(r, p),
    ];

    private static readonly Func<Random, string, string>[] Injections =
    [
        // Dot segments, raw and encoded, plain or with a prefix that an allow rule may match.
        (r, p) => InsertSegment(r, p, Pick(r, ".", "..", "%2e", "%2E%2e", ".%2e", "%2e.", "%252e%252e", "..;", "..;x", ".. ", "..%20", "...", "%c0%ae%c0%ae", "%20", "%20%20")),
        (r, p) => Pick(r, "/public", "/a", "/pets", "/v1", "/x1") + Pick(r, "/..", "/%2e%2e", "/..%2F..", "/%2E%2E%2F", "/..;", "/..\\", "/..%5c", "/%ef%bc%8e%ef%bc%8e") + p,

        // NUL, controls, spaces, non-ASCII and delimiters, raw or encoded; malformed percent-encoding.
        (r, p) => InsertAt(r, p, Pick(r, "%00", "\u0000", "%0d%0a", "\r\n", "%09", "\t", "%7f", "%1b", "%c2%85", "%3B", "%3f", "%23", "%253B")),
        (r, p) => p + Pick(r, " ", "%20", "%09", ".", "%2e", "/", ";", ";x", "%00", "\u3000", "%e3%80%80"),
        (r, p) => InsertAt(r, p, Pick(r, " ", "\u00e4", "\uff41", "#", "?", "\"", "<", "`")),
        (r, p) => InsertAt(r, p, Pick(r, "%", "%2", "%zz", "%g1", "%%32%65")),
    ];

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static string EncodeAt(Random random, string text, int index) =>
        text[..index] + Percent(random, text[index]) + text[(index + 1)..];

    private static string DoubleEncodeAt(Random random, string text, int index, int extra)
    {
        var encoded = Percent(random, text[index]);
        for (var i = 0; i < extra; i++)
        {
            encoded = "%25" + encoded[1..];
        }

        return text[..index] + encoded + text[(index + 1)..];
    }

    private static string Percent(Random random, char c)
    {
        var bytes = Encoding.UTF8.GetBytes(c.ToString());
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            var hex = b.ToString("X2", CultureInfo.InvariantCulture);
            text.Append('%').Append(random.Next(2) == 0 ? hex : hex.ToLowerInvariant());
        }

        return text.ToString();
    }

    private static string PercentEncodeAll(Random random, string text) => string.Concat(text.Select(c => Percent(random, c)));

    private static string MapSegment(Random random, string path, Func<string, string> map)
    {
        var parts = path.Split('/');
        if (parts.Length < 2)
        {
            return path;
        }

        var i = random.Next(1, parts.Length);
        parts[i] = map(parts[i]);
        return string.Join('/', parts);
    }

    private static string InsertSegment(Random random, string path, string segment)
    {
        var parts = path.Split('/').ToList();
        parts.Insert(random.Next(1, parts.Count + 1), segment);
        return string.Join('/', parts);
    }

    private static string ReplaceSlash(Random random, string path, string replacement)
    {
        var slashes = Enumerable.Range(0, path.Length).Where(i => path[i] == '/' && i > 0).ToList();
        if (slashes.Count == 0)
        {
            return path + replacement + "x";
        }

        var at = slashes[random.Next(slashes.Count)];
        return path[..at] + replacement + path[(at + 1)..];
    }

    private static string ReplaceChar(Random random, string path, char c, string replacement)
    {
        var at = path.IndexOf(c, StringComparison.Ordinal);
        return at < 0 ? InsertSegment(random, path, replacement + replacement) : path[..at] + replacement + path[(at + 1)..];
    }

    private static string InsertAt(Random random, string path, string inserted)
    {
        var at = random.Next(1, path.Length + 1);
        return path[..at] + inserted + path[at..];
    }

    private static string FlipCase(Random random, string text)
    {
        var letters = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiLetter(text[i])).ToList();
        if (letters.Count == 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        var at = letters[random.Next(letters.Count)];
        chars[at] = char.IsAsciiLetterUpper(chars[at]) ? char.ToLowerInvariant(chars[at]) : char.ToUpperInvariant(chars[at]);
        return new string(chars);
    }

    private static string Fullwidth(string text) =>
        new(text.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c).ToArray());
}

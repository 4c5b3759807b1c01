using System.Diagnostics;
using System.Text;
using ExchangeGateway.Common.Mime;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Xml;
using Xunit.Abstractions;

namespace ExchangeGateway.Common.Tests.Soap;

/// <summary>
/// RELIABILITY.md row 28 (T1, short): seeded mutation fuzzing of <see cref="SoapMessageReader"/> over the
/// plain and multipart corpora. Every input must come back as a value (no exception), either Ok or with a
/// code from a fixed set, within 1 s. Failing inputs are saved under the test output's fuzz-crashes folder.
/// </summary>
public sealed class SoapMessageFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 5_2025;
    private const int MaxIterations = 20_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxPerInput = TimeSpan.FromSeconds(1);

    private static readonly HashSet<string> AllowedCodes =
    [
        "client.invalid_xml", "client.invalid_soap", "client.missing_header", "client.missing_header_field",
        "client.duplicate_header_field", "client.missing_body", "client.invalid_body", "client.invalid_protocol_version",
        "client.invalid_object_type", "client.invalid_identifier", "client.mime_parsing_failed", "client.invalid_content_type",
    ];

    private static readonly byte[] Interesting =
        "<>/\"'&;:=-\r\n \t?!["u8.ToArray().Concat(new byte[] { 0x00, 0x7F, 0x80, 0xC3, 0xEF, 0xBB, 0xBF, 0xF0, 0xFF }).ToArray();

    [Fact]
    public void Mutations_NeverThrow_OnlyKnownCodes_NoSlowInput()
    {
        var corpus = SoapCorpus.All();
        Assert.NotEmpty(SoapCorpus.Plain());
        Assert.NotEmpty(SoapCorpus.Multipart());
        output.WriteLine($"seed {Seed}, corpus {corpus.Count} entries");

        var random = new Random(Seed);
        var crashes = Path.Combine(AppContext.BaseDirectory, "fuzz-crashes");
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var slowest = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        var iteration = 0;
        for (; iteration < MaxIterations && total.Elapsed < Budget; iteration++)
        {
            var entry = corpus[random.Next(corpus.Count)];
            var body = new List<byte>(entry.Body);
            var contentType = entry.ContentType;
            var mutations = 1 + random.Next(4);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(random, body, ref contentType, corpus);
            }

            var bytes = body.ToArray();
            var asRequest = random.Next(5) == 0 ? !entry.IsRequest : entry.IsRequest;
            string? problem = null;
            var watch = Stopwatch.StartNew();
            try
            {
                ParseResult<SoapMessage> result = asRequest
                    ? SoapMessageReader.ReadRequest(bytes, contentType, XmlLimits.Default)
                    : SoapMessageReader.ReadResponse(bytes, contentType, XmlLimits.Default);
                var outcome = result.Success ? "ok" : result.ErrorCode;
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (!result.Success && !AllowedCodes.Contains(result.ErrorCode))
                {
                    problem = $"unexpected code {result.ErrorCode}: {result.Message}";
                }
                else if (result.Success && !result.Value.Soap.Span.SequenceEqual(bytes.AsSpan(result.Value.SoapRange)))
                {
                    problem = "the SOAP range does not match the body";
                }
            }
            catch (Exception ex)
            {
                problem = $"threw {ex.GetType().Name}: {ex.Message}";
            }

            watch.Stop();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            if (problem is null && watch.Elapsed > MaxPerInput)
            {
                problem = $"took {watch.ElapsedMilliseconds} ms";
            }

            if (problem is not null)
            {
                Directory.CreateDirectory(crashes);
                var stem = Path.Combine(crashes, $"seed{Seed}-it{iteration}-{entry.Name}");
                File.WriteAllBytes(stem + ".body", bytes);
                File.WriteAllText(stem + ".txt", $"content-type: {contentType}\nas request: {asRequest}\n{problem}\n");
                failures.Add($"iteration {iteration} ({entry.Name}): {problem} -> {stem}.body");
            }
        }

        output.WriteLine($"{iteration} inputs in {total.ElapsedMilliseconds} ms; slowest {slowest.TotalMilliseconds:F1} ms");
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"  {outcome}: {count}");
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        Assert.True(iteration >= 1_000, $"only {iteration} inputs ran in the time budget");
        Assert.True(outcomes.GetValueOrDefault("ok") > 0, "no mutated input parsed: the mutations are too destructive to exercise the readers");
    }

    private static void Mutate(Random random, List<byte> body, ref string contentType, IReadOnlyList<SoapCorpus.Entry> corpus)
    {
        var at = body.Count == 0 ? 0 : random.Next(body.Count);
        switch (random.Next(9))
        {
            case 0 when body.Count > 0: // bit flip
                body[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1: // byte insert
                body.Insert(at, random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256));
                break;
            case 2 when body.Count > 0: // byte delete
                body.RemoveAt(at);
                break;
            case 3 when body.Count > 0: // chunk duplicate
                var length = Math.Min(1 + random.Next(64), body.Count - at);
                body.InsertRange(random.Next(body.Count), body.GetRange(at, length));
                break;
            case 4 when body.Count > 0: // truncate, or cut a chunk out
                if (random.Next(2) == 0)
                {
                    body.RemoveRange(at, body.Count - at);
                }
                else
                {
                    body.RemoveRange(at, Math.Min(1 + random.Next(64), body.Count - at));
                }

                break;
            case 5: // splice a chunk of another entry
                var other = corpus[random.Next(corpus.Count)].Body;
                var from = random.Next(other.Length);
                body.InsertRange(at, other.Skip(from).Take(1 + random.Next(128)));
                break;
            case 6 or 7: // boundary tweaks
                TweakBoundary(random, body, ref contentType);
                break;
            default: // content type tweak
                contentType = random.Next(4) switch
                {
                    0 => contentType.Replace("text/xml", "application/xop+xml", StringComparison.Ordinal),
                    1 => contentType.Replace("\"", string.Empty, StringComparison.Ordinal),
                    2 => contentType + "; charset=" + (random.Next(2) == 0 ? "utf-8" : "latin1"),
                    _ => contentType.Length > 0 ? contentType.Remove(random.Next(contentType.Length), 1) : contentType,
                };
                break;
        }
    }

    private static void TweakBoundary(Random random, List<byte> body, ref string contentType)
    {
        var boundary = BoundaryOf(contentType);
        if (boundary is null)
        {
            return;
        }

        var bytes = body.ToArray();
        var needle = Encoding.ASCII.GetBytes("--" + boundary);
        var positions = new List<int>();
        for (var i = bytes.AsSpan().IndexOf(needle); i >= 0 && positions.Count < 64;)
        {
            positions.Add(i);
            var next = bytes.AsSpan(i + 1).IndexOf(needle);
            i = next < 0 ? -1 : i + 1 + next;
        }

        if (positions.Count == 0 || random.Next(5) == 0)
        {
            // Change the boundary parameter instead of the body.
            contentType = random.Next(3) switch
            {
                0 => contentType.Replace(boundary, boundary + "x", StringComparison.Ordinal),
                1 => contentType.Replace("boundary=", "b=", StringComparison.Ordinal),
                _ => contentType.Replace(boundary, boundary[..^1], StringComparison.Ordinal),
            };
            return;
        }

        var at = positions[random.Next(positions.Count)];
        switch (random.Next(6))
        {
            case 0: // a different character inside the boundary
                body[at + 2 + random.Next(boundary.Length)] = (byte)'#';
                break;
            case 1: // CRLF before it becomes a bare LF
                if (at >= 2 && body[at - 2] == (byte)'\r')
                {
                    body.RemoveAt(at - 2);
                }

                break;
            case 2: // drop the line's CRLF after it
                var end = at + needle.Length;
                if (end + 1 < body.Count && body[end] == (byte)'\r')
                {
                    body.RemoveRange(end, 2);
                }

                break;
            case 3: // close the body early
                body.InsertRange(at + needle.Length, "--"u8.ToArray());
                break;
            case 4: // a second delimiter line right after
                body.InsertRange(at, Encoding.ASCII.GetBytes("--" + boundary + "\r\n"));
                break;
            default: // transport padding
                body.InsertRange(at + needle.Length, " \t"u8.ToArray());
                break;
        }
    }

    private static string? BoundaryOf(string contentType)
    {
        var at = contentType.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var rest = contentType[(at + 9)..];
        var value = rest.StartsWith('"') ? rest[1..].Split('"')[0] : rest.Split(';')[0].Trim();
        return value.Length > 0 ? value : null;
    }
}

using System.Text;

namespace ExchangeGateway.Common.Tests.Soap;

/// <summary>
/// The message corpus under Soap/Corpus (copied to the test output): plain/*.xml are text/xml bodies;
/// multipart/*.mime start with one "Content-Type: …" CRLF line followed by the raw body. A name starting
/// with "request-" is a request, "response-" a response.
/// </summary>
internal static class SoapCorpus
{
    public sealed record Entry(string Name, bool IsRequest, string ContentType, byte[] Body);

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Soap", "Corpus");

    public static IReadOnlyList<Entry> Plain() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "plain"), "*.xml").Order(StringComparer.Ordinal)
            .Select(f => new Entry(Path.GetFileName(f), IsRequest(f), "text/xml; charset=utf-8", File.ReadAllBytes(f)))
            .ToArray();

    public static IReadOnlyList<Entry> Multipart() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "multipart"), "*.mime").Order(StringComparer.Ordinal)
            .Select(f =>
            {
                var bytes = File.ReadAllBytes(f);
                var eol = bytes.AsSpan().IndexOf("\r\n"u8);
                var header = Encoding.ASCII.GetString(bytes, 0, eol);
                const string Prefix = "Content-Type: ";
                Assert.StartsWith(Prefix, header, StringComparison.Ordinal);
                return new Entry(Path.GetFileName(f), IsRequest(f), header[Prefix.Length..], bytes[(eol + 2)..]);
            })
            .ToArray();

    public static IReadOnlyList<Entry> All() => [.. Plain(), .. Multipart()];

    public static string Xxe(string name) => File.ReadAllText(Path.Combine(Directory, "xxe", name), Encoding.UTF8);

    private static bool IsRequest(string path) => Path.GetFileName(path).StartsWith("request-", StringComparison.Ordinal);
}

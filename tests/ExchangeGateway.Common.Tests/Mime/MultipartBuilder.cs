using System.Text;

namespace ExchangeGateway.Common.Tests.Mime;

/// <summary>Builds multipart bodies byte by byte (CRLF unless told otherwise), recording where each part's body lands.</summary>
internal sealed class MultipartBuilder(string boundary = "b0undary")
{
    private readonly List<byte> _bytes = [];
    private readonly List<Range> _ranges = [];

    public string Boundary => boundary;

    public IReadOnlyList<Range> Ranges => _ranges;

    public MultipartBuilder Raw(string text) => Raw(Encoding.UTF8.GetBytes(text));

    public MultipartBuilder Raw(byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public MultipartBuilder Part(string headers, string body) => Part(headers, Encoding.UTF8.GetBytes(body));

    /// <summary>A delimiter line, the header lines (joined by CRLF), an empty line and the body.</summary>
    public MultipartBuilder Part(string headers, byte[] body)
    {
        Raw(_ranges.Count == 0 && _bytes.Count == 0 ? $"--{boundary}\r\n" : $"\r\n--{boundary}\r\n");
        Raw(headers.Length == 0 ? "\r\n" : headers.ReplaceLineEndings("\r\n") + "\r\n\r\n");
        _ranges.Add(_bytes.Count..(_bytes.Count + body.Length));
        return Raw(body);
    }

    public MultipartBuilder Close(string epilogue = "") => Raw($"\r\n--{boundary}--{epilogue}");

    public byte[] ToArray() => [.. _bytes];

    public string ContentType(string type = "text/xml", string? extra = null) =>
        $"multipart/related; type=\"{type}\"; boundary=\"{boundary}\"{(extra is null ? "" : "; " + extra)}";
}

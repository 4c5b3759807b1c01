using System.Text;
using ExchangeGateway.Common.Mime;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Tests.Soap;
using ExchangeGateway.Common.Xml;
using static ExchangeGateway.Common.Tests.Soap.SoapSamples;

namespace ExchangeGateway.Common.Tests.Mime;

public sealed class SoapMessageReaderTests
{
    private const string InvalidContentType = "client.invalid_content_type";
    private const string MimeParsingFailed = "client.mime_parsing_failed";
    private const string SoapPart = "Content-Type: text/xml; charset=UTF-8\nContent-ID: <soap@x>";

    private static readonly string Xop =
        "<p:getPatient xmlns:p=\"urn:p\" xmlns:xop=\"http://www.w3.org/2004/08/xop/include\"><p:scan><xop:Include href=\"{0}\"/></p:scan></p:getPatient>";

    private static string XopRequest(string href) => Request(body: string.Format(System.Globalization.CultureInfo.InvariantCulture, Xop, href));

    private static SoapMessage AssertReads(byte[] body, string contentType, bool request = true)
    {
        var result = request
            ? SoapMessageReader.ReadRequest(body, contentType, XmlLimits.Default)
            : SoapMessageReader.ReadResponse(body, contentType, XmlLimits.Default);
        Assert.True(result.Success, result.Message);
        return result.Value;
    }

    private static void AssertFails(byte[] body, string? contentType, string code, string? messagePart = null)
    {
        var result = SoapMessageReader.ReadRequest(body, contentType, XmlLimits.Default);
        Assert.False(result.Success, "expected a failure");
        Assert.Equal(code, result.ErrorCode);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, result.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static MultipartBuilder SwA(string? soap = null) =>
        new MultipartBuilder().Part(SoapPart, soap ?? Request()).Part("Content-Type: application/octet-stream\nContent-ID: <a1@x>", "attachment one");

    [Fact]
    public void Corpus_EveryEntryReads()
    {
        foreach (var entry in SoapCorpus.All())
        {
            var message = AssertReads(entry.Body, entry.ContentType, entry.IsRequest);
            Assert.Equal(entry.Name.EndsWith(".mime", StringComparison.Ordinal), message.IsMultipart);
            Assert.Equal(entry.Name.Contains("mtom", StringComparison.Ordinal), message.IsMtom);
            Assert.True((entry.IsRequest ? SoapEnvelopeReader.ReadRequest(message.Soap, XmlLimits.Default) : SoapEnvelopeReader.ReadResponse(message.Soap, XmlLimits.Default)).Success);
        }
    }

    [Fact]
    public void Plain_SoapIsTheWholeBody()
    {
        var body = Encoding.UTF8.GetBytes(Request());

        var message = AssertReads(body, "text/xml; charset=utf-8");

        Assert.False(message.IsMultipart);
        Assert.Null(message.SoapPart);
        Assert.Empty(message.Attachments);
        Assert.True(message.Soap.Span.SequenceEqual(body));
        Assert.Equal("getPatient", message.Envelope.BodyLocalName);
    }

    [Theory]
    [InlineData("text/xml")]
    [InlineData("TEXT/XML")]
    [InlineData("text/xml;charset=UTF-8")]
    [InlineData("text/xml; charset=\"utf-8\"")]
    [InlineData(" text/xml ; charset=utf-8 ; action=\"getPatient\" ")]
    public void Plain_AcceptedContentTypes(string contentType) => AssertReads(Encoding.UTF8.GetBytes(Request()), contentType);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("application/json")]
    [InlineData("application/soap+xml; charset=utf-8")]
    [InlineData("text/plain")]
    [InlineData("multipart/mixed; boundary=b")]
    [InlineData("text/xml; charset=iso-8859-1")]
    [InlineData("text/xml; charset=utf-16")]
    [InlineData("text/")]
    [InlineData("text/xml; charset")]
    [InlineData("text/xml; charset=utf-8; charset=utf-8")]
    [InlineData("text/xml; a=\"unclosed")]
    [InlineData("text/xml, text/html")]
    [InlineData("text/xml; a=1; a=2")]
    public void Plain_RefusedContentTypes_InvalidContentType(string? contentType) =>
        AssertFails(Encoding.UTF8.GetBytes(Request()), contentType, InvalidContentType);

    [Fact]
    public void ContentType_ParameterCap()
    {
        var body = Encoding.UTF8.GetBytes(Request());
        string With(int count) => "text/xml" + string.Concat(Enumerable.Range(0, count).Select(i => $"; p{i}=v"));

        AssertReads(body, With(32));
        AssertFails(body, With(33), InvalidContentType, "more than 32 parameters");
    }

    [Fact]
    public void Plain_XopInclude_MimeParsingFailed() =>
        AssertFails(Encoding.UTF8.GetBytes(XopRequest("cid:a1@x")), "text/xml", MimeParsingFailed, "xop:Include");

    [Fact]
    public void Plain_SoapFailuresPassThrough()
    {
        AssertFails(Encoding.UTF8.GetBytes(Envelope(MessageId, Body)), "text/xml", "client.missing_header_field");
        AssertFails(Encoding.UTF8.GetBytes("<x"), "text/xml", "client.invalid_xml");
    }

    [Fact]
    public void SwA_PartsAreRangesIntoTheBody()
    {
        var builder = new MultipartBuilder()
            .Raw("preamble\r\n--b0undary is not at a line start here\r\n")
            .Part(SoapPart, Request())
            .Part("Content-Type: application/octet-stream\nContent-ID: <a1@x>", "attachment\r\n--b0undaryX not a delimiter\r\n")
            .Part("content-type: image/png\ncontent-id: a2@x\nX-Folded: one\n  two", "\r\n")
            .Part(string.Empty, "no headers")
            .Close("\r\nepilogue\r\n--b0undary\r\n");
        var body = builder.ToArray();

        var message = AssertReads(body, builder.ContentType());

        Assert.True(message.IsMultipart);
        Assert.False(message.IsMtom);
        Assert.Equal(builder.Ranges[0], message.SoapRange);
        Assert.Equal(builder.Ranges[0], message.SoapPart!.Range);
        Assert.Equal("soap@x", message.SoapPart.ContentId);
        Assert.Equal(3, message.Attachments.Count);
        Assert.Equal(builder.Ranges.Skip(1), message.Attachments.Select(a => a.Range));
        Assert.Equal("a1@x", message.Attachments[0].ContentId);
        Assert.Equal("application/octet-stream", message.Attachments[0].ContentType);
        Assert.Equal("attachment\r\n--b0undaryX not a delimiter\r\n", Encoding.UTF8.GetString(body.AsSpan(message.Attachments[0].Range)));
        Assert.Equal("a2@x", message.Attachments[1].ContentId);
        Assert.Equal("image/png", message.Attachments[1].ContentType);
        Assert.Equal("one two", message.Attachments[1].Header("x-folded"));
        Assert.Equal("text/plain", message.Attachments[2].ContentType);
        Assert.Null(message.Attachments[2].ContentId);
        Assert.Empty(message.Attachments[2].Headers);
    }

    [Fact]
    public void SwA_TransportPaddingAfterBoundary_Accepted()
    {
        var body = Encoding.UTF8.GetBytes($"--b0undary \t\r\nContent-Type: text/xml\r\n\r\n{Request()}\r\n--b0undary  \r\n\r\nx\r\n--b0undary--");

        var message = AssertReads(body, "multipart/related; boundary=b0undary");

        Assert.Single(message.Attachments);
    }

    [Fact]
    public void Mtom_XopIncludeResolves()
    {
        var builder = new MultipartBuilder()
            .Part("Content-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"\nContent-Transfer-Encoding: binary\nContent-ID: <root@x>",
                XopRequest("cid:scan%40hospital"))
            .Part("Content-Type: image/png\nContent-Transfer-Encoding: binary\nContent-ID: <scan@hospital>", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A])
            .Close();

        var message = AssertReads(builder.ToArray(), builder.ContentType("application/xop+xml", "start=\"<root@x>\"; start-info=\"text/xml\""));

        Assert.True(message.IsMtom);
        Assert.Equal(["cid:scan%40hospital"], message.Envelope.XopIncludes);
        Assert.Equal(builder.Ranges[1], message.Attachments.Single().Range);
    }

    public static TheoryData<string, string, string> BadXopReferences() => new()
    {
        { "cid:missing@x", "no such part", MimeParsingFailed },
        { "cid:soap@x", "the SOAP part itself", MimeParsingFailed },
        { "http://evil.example/a1@x", "not a cid URL", MimeParsingFailed },
        { "a1@x", "no scheme", MimeParsingFailed },
        { "", "empty", MimeParsingFailed },
    };

    [Theory]
    [MemberData(nameof(BadXopReferences))]
    public void Multipart_BadCidReference_MimeParsingFailed(string href, string why, string code)
    {
        var builder = SwA(XopRequest(href)).Close();
        AssertFails(builder.ToArray(), builder.ContentType(), code, "xop:Include");
        Assert.NotNull(why);
    }

    [Fact]
    public void Multipart_GoodCidReference_CaseInsensitiveScheme() =>
        AssertReads(SwA(XopRequest("CID:a1@x")).Close().ToArray(), new MultipartBuilder().ContentType());

    public static TheoryData<string, byte[], string, string> MultipartFailures()
    {
        var request = Request();
        var good = SwA().Close();
        var ct = good.ContentType();
        var goodBytes = good.ToArray();
        var text = Encoding.UTF8.GetString(goodBytes);
        byte[] B(string s) => Encoding.UTF8.GetBytes(s);

        return new TheoryData<string, byte[], string, string>
        {
            { "multipart/related; type=\"text/xml\"", goodBytes, MimeParsingFailed, "without a boundary" },
            { "multipart/related; boundary=\"\"", goodBytes, MimeParsingFailed, "boundary" },
            { "multipart/related; boundary=" + new string('b', 71), goodBytes, MimeParsingFailed, "boundary" },
            { "multipart/related; boundary=\"b@d\"", goodBytes, MimeParsingFailed, "boundary" },
            { "multipart/related; boundary=\"trailing \"", goodBytes, MimeParsingFailed, "boundary" },
            { "multipart/related; type=\"application/json\"; boundary=b0undary", goodBytes, InvalidContentType, "type" },
            { "multipart/related; boundary=b0undary; charset=latin1", goodBytes, InvalidContentType, "charset" },
            { "multipart/related; boundary=other", goodBytes, MimeParsingFailed, "no delimiter" },
            { ct, [], MimeParsingFailed, "no delimiter" },
            { ct, B("--b0undary--\r\n"), MimeParsingFailed, "no parts" },
            { ct, B("preamble only"), MimeParsingFailed, "no delimiter" },
            { ct, goodBytes[..^14], MimeParsingFailed, "truncated" },
            { ct, goodBytes[..(goodBytes.Length / 2)], MimeParsingFailed, "truncated" },
            { ct, B(text.Replace("\r\n--b0undary--", "\r\n--b0undary\r\n", StringComparison.Ordinal)), MimeParsingFailed, "truncated" },
            { ct, B(text.Replace("\r\n", "\n", StringComparison.Ordinal)), MimeParsingFailed, null! },
            { ct, B($"--b0undary\r\nContent-Type: text/xml\n\r\n{request}\r\n--b0undary--"), MimeParsingFailed, "header" },
            { ct, B($"--b0undary\r\nContent-Type: text/xml\r\n{request}\r\n--b0undary--"), MimeParsingFailed, "empty line" },
            { ct, B($"--b0undary\r\nno colon here\r\n\r\n{request}\r\n--b0undary--"), MimeParsingFailed, "name: value" },
            { ct, B($"--b0undary\r\nBad Name: x\r\n\r\n{request}\r\n--b0undary--"), MimeParsingFailed, "name: value" },
            { ct, B($"--b0undary\r\n continued: x\r\n\r\n{request}\r\n--b0undary--"), MimeParsingFailed, "continuation" },
            { ct, B($"--b0undary\r\nContent-Type: text/xml\r\nX: a\u0001b\r\n\r\n{request}\r\n--b0undary--"), MimeParsingFailed, "control" },
            { ct, B(text.Replace("text/xml; charset=UTF-8", "application/octet-stream", StringComparison.Ordinal)), MimeParsingFailed, "attachment without SOAP" },
            { ct, B(text.Replace("Content-Type: text/xml; charset=UTF-8\r\n", string.Empty, StringComparison.Ordinal)), MimeParsingFailed, "attachment without SOAP" },
            { ct, B(text.Replace("text/xml; charset=UTF-8", "text/xml; charset=iso-8859-1", StringComparison.Ordinal)), InvalidContentType, "charset" },
            { ct, B(text.Replace("text/xml; charset=UTF-8", "text/xml; =", StringComparison.Ordinal)), MimeParsingFailed, "attachment without SOAP" },
            { ct, B(text.Replace("Content-ID: <soap@x>", "Content-ID: <soap@x>\r\nContent-Transfer-Encoding: base64", StringComparison.Ordinal)), MimeParsingFailed, "Transfer-Encoding" },
            { ct, B(text.Replace("<a1@x>", "<soap@x>", StringComparison.Ordinal)), MimeParsingFailed, "Content-ID" },
            { good.ContentType("application/xop+xml"), goodBytes, MimeParsingFailed, "does not match" },
            { good.ContentType(extra: "start=\"<nothing@x>\""), goodBytes, MimeParsingFailed, "start" },
            { ct, B(text.Replace("text/xml; charset=UTF-8", "application/xop+xml; charset=UTF-8", StringComparison.Ordinal)), MimeParsingFailed, "does not match" },
            { "multipart/related; boundary=b0undary", B(text.Replace("text/xml; charset=UTF-8", "application/xop+xml", StringComparison.Ordinal)), MimeParsingFailed, "type=\"text/xml\"" },
            { ct, B(text.Replace(request, Envelope(MessageId, Body), StringComparison.Ordinal)), "client.missing_header_field", null! },
        };
    }

    [Theory]
    [MemberData(nameof(MultipartFailures))]
    public void Multipart_Failures(string contentType, byte[] body, string code, string? messagePart) =>
        AssertFails(body, contentType, code, messagePart);

    [Fact]
    public void Multipart_StartNamesALaterPart_ThatPartIsSoap()
    {
        var builder = new MultipartBuilder()
            .Part("Content-Type: text/plain\nContent-ID: <first>", "first")
            .Part("Content-Type: text/xml\nContent-ID: <soap>", Request())
            .Part("Content-Type: text/plain\nContent-ID: <third>", "third")
            .Close();

        var message = AssertReads(builder.ToArray(), builder.ContentType(extra: "start=\"<soap>\""));

        Assert.Equal(builder.Ranges[1], message.SoapRange);
        Assert.Equal(["first", "third"], message.Attachments.Select(a => a.ContentId));
    }

    [Fact]
    public void Multipart_HeaderCounts_AtCapAndOver()
    {
        string Headers(int count) => "Content-Type: text/xml\n" + string.Join('\n', Enumerable.Range(1, count - 1).Select(i => $"X-H{i}: v"));

        var ok = new MultipartBuilder().Part(Headers(32), Request()).Close();
        AssertReads(ok.ToArray(), ok.ContentType());
        var over = new MultipartBuilder().Part(Headers(33), Request()).Close();
        AssertFails(over.ToArray(), over.ContentType(), MimeParsingFailed, "more than 32 header fields");
    }

    [Fact]
    public void Multipart_HeaderBlockSize_AtCapAndOver()
    {
        // The block counts every header line with its CRLF plus the empty line: 8,192 bytes at most.
        string Block(int bytes) => "Content-Type: text/xml\nX-Pad: " + new string('p', bytes - "Content-Type: text/xml\r\nX-Pad: \r\n\r\n".Length);

        var ok = new MultipartBuilder().Part(Block(8 * 1024), Request()).Close();
        AssertReads(ok.ToArray(), ok.ContentType());
        var over = new MultipartBuilder().Part(Block((8 * 1024) + 1), Request()).Close();
        AssertFails(over.ToArray(), over.ContentType(), MimeParsingFailed, "8192 bytes");
    }

    [Fact]
    public void Multipart_PartCount_AtCapAndOver()
    {
        MultipartBuilder Build(int parts)
        {
            var b = new MultipartBuilder().Part(SoapPart, Request());
            for (var i = 1; i < parts; i++)
            {
                b.Part($"Content-ID: <p{i}>", "x");
            }

            return b.Close();
        }

        var ok = Build(1000);
        Assert.Equal(999, AssertReads(ok.ToArray(), ok.ContentType()).Attachments.Count);
        var over = Build(1001);
        AssertFails(over.ToArray(), over.ContentType(), MimeParsingFailed, "more than 1000 parts");
    }

    [Fact]
    public void Multipart_FiveMiBAttachment_RangesExact()
    {
        var random = new Random(5);
        var big = new byte[5 * 1024 * 1024];
        random.NextBytes(big);

        // Sprinkle near-delimiters through it: CRLF, "--", the boundary without its CRLF, the boundary plus a character.
        var near = new[] { "\r\n"u8.ToArray(), "\r\n--"u8.ToArray(), "--b0undary\r\n"u8.ToArray(), "\r\n--b0undaryZ\r\n"u8.ToArray(), "x\n--b0undary\r\n"u8.ToArray() };
        var slot = big.Length / 2_000;
        for (var i = 0; i < 2_000; i++)
        {
            // One per slot, so two cannot overlap into a real delimiter.
            var n = near[i % near.Length];
            n.CopyTo(big, (i * slot) + random.Next(slot - n.Length));
        }

        Assert.True(big.AsSpan().IndexOf("\r\n--b0undary\r\n"u8) < 0 && big.AsSpan().IndexOf("\r\n--b0undary--"u8) < 0);
        var second = big.AsSpan(0, 1024 * 1024).ToArray();
        var builder = new MultipartBuilder().Part(SoapPart, Request()).Part("Content-ID: <big>", big).Part("Content-ID: <second>", second).Close();
        var body = builder.ToArray();

        var message = AssertReads(body, builder.ContentType());

        Assert.Equal(builder.Ranges[1], message.Attachments[0].Range);
        Assert.Equal(builder.Ranges[2], message.Attachments[1].Range);
        Assert.True(body.AsSpan(message.Attachments[0].Range).SequenceEqual(big));
        Assert.True(body.AsSpan(message.Attachments[1].Range).SequenceEqual(second));
    }

    [Fact]
    public void Multipart_AdversarialNearDelimiters_StaysFast()
    {
        // 8 MiB of lines that each start like a delimiter but are not one.
        var line = "\r\n--b0undaryX"u8.ToArray();
        var filler = new byte[8 * 1024 * 1024 / line.Length * line.Length];
        for (var i = 0; i < filler.Length; i += line.Length)
        {
            line.CopyTo(filler, i);
        }

        var builder = new MultipartBuilder().Part(SoapPart, Request()).Part("Content-ID: <f>", filler).Close();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var message = AssertReads(builder.ToArray(), builder.ContentType());

        Assert.Equal(builder.Ranges[1], message.Attachments[0].Range);
        Assert.True(watch.ElapsedMilliseconds < 2_000, $"{watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void WithSoap_Multipart_ReplacesOnlyTheSoapBytes()
    {
        var builder = new MultipartBuilder().Raw("preamble").Part(SoapPart, Response()).Part("Content-ID: <a>", "attachment").Close("epilogue");
        var body = builder.ToArray();
        var message = AssertReads(body, builder.ContentType(), request: false);
        var newSoap = Encoding.UTF8.GetBytes(Response().Replace("Anna", "Anna Maria", StringComparison.Ordinal) + "<!-- longer -->");

        var edited = message.WithSoap(newSoap);

        var (start, length) = message.SoapRange.GetOffsetAndLength(body.Length);
        Assert.True(edited.AsSpan(0, start).SequenceEqual(body.AsSpan(0, start)));
        Assert.True(edited.AsSpan(start, newSoap.Length).SequenceEqual(newSoap));
        Assert.True(edited.AsSpan(start + newSoap.Length).SequenceEqual(body.AsSpan(start + length)));
        var reread = AssertReads(edited, builder.ContentType(), request: false);
        Assert.True(reread.Soap.Span.SequenceEqual(newSoap));
        Assert.Equal("attachment", Encoding.UTF8.GetString(edited.AsSpan(reread.Attachments[0].Range)));
    }

    [Fact]
    public void WithSoap_Plain_IsTheNewSoap()
    {
        var message = AssertReads(Encoding.UTF8.GetBytes(Request()), "text/xml");
        var newSoap = Encoding.UTF8.GetBytes(Request(FullHeaderWithUser("other")));

        Assert.Equal(newSoap, message.WithSoap(newSoap));
    }

    [Fact]
    public void WithSoap_InsertRequestHash_EndToEnd()
    {
        var builder = new MultipartBuilder().Part(SoapPart, Response(RequestHeader())).Part("Content-ID: <a>", "attachment").Close();
        var message = AssertReads(builder.ToArray(), builder.ContentType(), request: false);
        var hash = SoapRequestHash.Compute(Encoding.UTF8.GetBytes(Request()));

        var edited = message.WithSoap(SoapResponseEditor.InsertRequestHash(message.Soap.Span, message.Envelope, hash));

        var reread = AssertReads(edited, builder.ContentType(), request: false);
        Assert.Equal(hash, reread.Envelope.Header!.RequestHash);
    }

    private static string FullHeaderWithUser(string user) => RequestHeader().Replace("EE12345678901", user, StringComparison.Ordinal);
}

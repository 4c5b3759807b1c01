using System.Xml;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Xml;

/// <summary>
/// The one way the gateway reads XML it did not write (SOAP messages, WSDL, anything from a peer or an
/// information system). DTDs are prohibited, so no entity is ever declared or expanded (XXE and
/// billion-laughs documents are refused at the <c>&lt;!DOCTYPE</c>); nothing is resolved, fetched or
/// opened; and <see cref="XmlLimits"/> are enforced node by node while streaming, so a 40,000-deep
/// document costs the reader no more than its first <see cref="XmlLimits.MaxDepth"/> elements.
/// </summary>
/// <remarks>
/// Never build an <c>XmlDocument</c> or <c>XDocument</c> from untrusted input elsewhere: a DOM over deep
/// nesting is quadratic (6.3 s for 40,000 levels here, RELIABILITY.md) and its defaults have changed
/// between framework versions.
/// </remarks>
public static class SafeXml
{
    /// <summary>The code every refusal carries, from the caller's point of view (<c>client.invalid_xml</c>).</summary>
    public static readonly string InvalidXmlCode = ErrorCode.Client(ErrorCatalog.InvalidXml).Value;

    /// <summary>The reader settings behind every reader made here: DTD prohibited, no resolver, character cap.</summary>
    public static XmlReaderSettings Settings(XmlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1,
            MaxCharactersInDocument = limits.MaxCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
            ValidationType = ValidationType.None,
        };
    }

    /// <summary>A limit-enforcing reader over <paramref name="xml"/> (bytes; the encoding comes from the BOM or declaration).</summary>
    public static XmlReader CreateReader(ReadOnlyMemory<byte> xml, XmlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (XmlProlog.HasDoctype(xml.Span))
        {
            // Refuse before the framework's parser sees a byte of the declaration.
            return new LimitedXmlReader(null, limits, new XmlLimitException(XmlViolation.Dtd, DescribeDtd, 1, 1));
        }

        var stream = new ReadOnlyMemoryStream(xml);
        return new LimitedXmlReader(XmlReader.Create(stream, Settings(limits)), limits, null, xml.Length);
    }

    /// <summary>A limit-enforcing reader over <paramref name="stream"/>; the caller owns and disposes the stream.</summary>
    public static XmlReader CreateReader(Stream stream, XmlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
        return new LimitedXmlReader(XmlReader.Create(stream, Settings(limits)), limits, null);
    }

    /// <summary>
    /// Runs <paramref name="parse"/> over a reader on <paramref name="xml"/> and turns every XML failure
    /// (malformed, DTD, a broken limit) into <c>client.invalid_xml</c> with a message naming the rule and
    /// the position. Failures <paramref name="parse"/> returns itself pass through unchanged.
    /// </summary>
    public static ParseResult<T> Read<T>(ReadOnlyMemory<byte> xml, XmlLimits limits, Func<XmlReader, ParseResult<T>> parse)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            using var reader = CreateReader(xml, limits);
            return parse(reader);
        }
        catch (XmlException ex)
        {
            return ParseResult<T>.Fail(InvalidXmlCode, Describe(ex));
        }
    }

    /// <summary>Which rule <paramref name="exception"/> reports.</summary>
    public static XmlViolation Classify(XmlException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is XmlLimitException limit)
        {
            return limit.Violation;
        }

        // The framework's own refusals carry no type; its (invariant) messages name the setting.
        var message = exception.Message;
        if (message.Contains("DTD", StringComparison.Ordinal) || message.Contains("DOCTYPE", StringComparison.Ordinal))
        {
            return XmlViolation.Dtd;
        }

        return message.Contains("MaxCharactersInDocument", StringComparison.Ordinal) ? XmlViolation.DocumentSize : XmlViolation.Malformed;
    }

    /// <summary>A message for the caller: the rule and, when known, the line and position.</summary>
    public static string Describe(XmlException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var violation = Classify(exception);
        var where = exception.LineNumber > 0 ? $" (line {exception.LineNumber}, position {exception.LinePosition})" : string.Empty;
        return violation switch
        {
            XmlViolation.Dtd => DescribeDtd,
            XmlViolation.DocumentSize => "The XML is longer than the gateway accepts.",
            XmlViolation.Malformed => $"The XML is not well-formed{where}: {StripPosition(exception.Message)}",
            _ => exception.Message,
        };
    }

    private const string DescribeDtd = "The XML has a document type declaration (DTD); DTDs and entities are prohibited, and nothing in it was processed.";

    private static string StripPosition(string message)
    {
        // XmlException appends "Line n, position m." itself; Describe says it once.
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }

    /// <summary>A read-only stream over memory, without copying it.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

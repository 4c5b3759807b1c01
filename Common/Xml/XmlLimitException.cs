using System.Xml;

namespace ExchangeGateway.Common.Xml;

/// <summary>A document broke one of the <see cref="XmlLimits"/> (or carried a DTD); thrown by the readers <see cref="SafeXml"/> makes.</summary>
public sealed class XmlLimitException : XmlException
{
    /// <summary>Creates the exception.</summary>
    public XmlLimitException(XmlViolation violation, string message, int lineNumber = 0, int linePosition = 0)
        : base(message, null, lineNumber, linePosition)
    {
        Violation = violation;
    }

    /// <summary>Creates an exception for <see cref="XmlViolation.Malformed"/>.</summary>
    public XmlLimitException()
        : this(XmlViolation.Malformed, "The XML is not acceptable.")
    {
    }

    /// <summary>Creates an exception for <see cref="XmlViolation.Malformed"/>.</summary>
    public XmlLimitException(string message)
        : this(XmlViolation.Malformed, message)
    {
    }

    /// <summary>Creates an exception for <see cref="XmlViolation.Malformed"/>.</summary>
    public XmlLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Violation = XmlViolation.Malformed;
    }

    /// <summary>The rule that was broken.</summary>
    public XmlViolation Violation { get; }
}

namespace ExchangeGateway.Common.Errors;

/// <summary>The body formats of a REST error response, chosen from the Accept header.</summary>
public enum RestErrorFormat
{
    /// <summary><c>application/json</c>; the default.</summary>
    Json = 1,

    /// <summary><c>application/xml</c>.</summary>
    ApplicationXml,

    /// <summary><c>text/xml</c>.</summary>
    TextXml,
}

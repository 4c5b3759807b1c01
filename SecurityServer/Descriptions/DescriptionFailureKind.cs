namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>Why a <see cref="ServiceDescriptions"/> operation changed nothing.</summary>
public enum DescriptionFailureKind
{
    /// <summary>The client or the description does not exist.</summary>
    NotFound,

    /// <summary>There is no local configuration yet.</summary>
    NotInitialised,

    /// <summary>The request itself is wrong (both or neither of URL and content, a missing service code, …).</summary>
    InvalidRequest,

    /// <summary>The document is not a usable WSDL or OpenAPI 3 document, or the services made from it break a rule.</summary>
    InvalidDocument,

    /// <summary>The document could not be fetched from its URL.</summary>
    FetchFailed,

    /// <summary>A service the document describes already exists outside this description.</summary>
    Conflict,
}

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>The error code the description readers put on documents they refuse for their content.</summary>
public static class DescriptionErrors
{
    /// <summary>The document is not a description the gateway can use (<c>description.invalid</c>).</summary>
    public const string InvalidDescription = "description.invalid";
}

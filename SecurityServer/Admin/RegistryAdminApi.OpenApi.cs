namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The admin API's OpenAPI 3.0 document, written by hand and embedded in the assembly.</summary>
public static partial class RegistryAdminApi
{
    /// <summary>The embedded resource's name.</summary>
    public const string OpenApiResourceName = "ExchangeGateway.SecurityServer.Admin.openapi.json";

    private static readonly Lazy<byte[]> OpenApiBytes = new(LoadOpenApiDocument);

    /// <summary>The bytes of the OpenAPI document (UTF-8 JSON).</summary>
    public static ReadOnlyMemory<byte> OpenApi => OpenApiBytes.Value;

    // Served without an API key: it describes the API, not the server's data.
    private static IResult OpenApiDocument() => Results.Bytes(OpenApiBytes.Value, JsonType);

    private static byte[] LoadOpenApiDocument()
    {
        using var stream = typeof(RegistryAdminApi).Assembly.GetManifestResourceStream(OpenApiResourceName)
            ?? throw new InvalidOperationException($"The resource {OpenApiResourceName} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

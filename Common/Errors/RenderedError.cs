namespace ExchangeGateway.Common.Errors;

/// <summary>An error response ready to write to any HTTP stack.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The Content-Type header value.</param>
/// <param name="XRoadError">The <c>X-Road-Error</c> header value: only the code, never the message.</param>
/// <param name="Body">The UTF-8 body.</param>
public sealed record RenderedError(int StatusCode, string ContentType, string XRoadError, ReadOnlyMemory<byte> Body);

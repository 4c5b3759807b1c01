using ExchangeGateway.Common.Exchange;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// What came back from the provider's security server: a signed envelope (prefix and body), or an
/// X-Road error it raised (passed to the client IS as it is).
/// </summary>
public sealed class PeerResponse : IDisposable
{
    /// <summary>The envelope prefix of a signed response.</summary>
    public EnvelopePrefix? Prefix { get; init; }

    /// <summary>The response body.</summary>
    public BodyBuffer? Body { get; init; }

    /// <summary>The peer's TLS certificate (for the OCSP check of the stapled authentication status).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? PeerCertificate { get; init; }

    /// <summary>The HTTP status of an error answer.</summary>
    public int ErrorStatus { get; init; }

    /// <summary>The <c>X-Road-Error</c> code of an error answer.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The body of an error answer (bounded).</summary>
    public byte[]? ErrorBody { get; init; }

    /// <summary>The content type of an error answer.</summary>
    public string? ErrorContentType { get; init; }

    /// <inheritdoc />
    public void Dispose() => Body?.Dispose();
}

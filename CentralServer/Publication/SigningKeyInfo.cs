using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>A configuration-signing key as the API shows it: never the private key.</summary>
/// <param name="Id">Stable identifier (the certificate's SHA-256, hex).</param>
/// <param name="State">Its place in the rotation.</param>
/// <param name="CreatedAt">When it was generated.</param>
/// <param name="Certificate">The self-signed verification certificate that goes into the anchor.</param>
public sealed record SigningKeyInfo(string Id, SigningKeyState State, DateTimeOffset CreatedAt, X509Certificate2 Certificate);

using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.MessageLog.Integration;

/// <summary>An approved time-stamping authority from global configuration.</summary>
/// <param name="Url">Its RFC 3161 HTTP endpoint.</param>
/// <param name="Certificate">Its certificate: tokens must be signed by exactly this certificate, which is trusted as listed.</param>
public sealed record TsaEndpoint(Uri Url, X509Certificate2 Certificate);

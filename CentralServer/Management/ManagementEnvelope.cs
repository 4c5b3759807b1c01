namespace ExchangeGateway.CentralServer.Management;

/// <summary>The body POSTed to <c>/managementservice</c>: base64 request bytes and detached CMS signatures over them.</summary>
/// <param name="Request">The request bytes (UTF-8 JSON), base64.</param>
/// <param name="OwnerSignature">Detached CMS by the owner member's signing certificate, base64.</param>
/// <param name="AuthSignature">Detached CMS by the authentication key, base64; auth-cert registration only.</param>
internal sealed record ManagementEnvelope(string Request, string OwnerSignature, string? AuthSignature = null);

using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Ocsp;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>This server's TLS authentication identity and the OCSP status it staples for it.</summary>
public sealed class OwnIdentity
{
    private readonly OcspStatusManager _ocsp;

    /// <summary>Creates the holder.</summary>
    public OwnIdentity(AuthenticationIdentity authentication, OcspStatusManager ocsp)
    {
        Authentication = authentication;
        _ocsp = ocsp;
    }

    /// <summary>The authentication certificate with key, and its chain.</summary>
    public AuthenticationIdentity Authentication { get; }

    /// <summary>The latest verified OCSP response for the authentication certificate (empty until one is fetched).</summary>
    public ReadOnlyMemory<byte> AuthenticationOcsp() =>
        _ocsp.TryGetStapled(Authentication.Certificate, out var stapled) ? stapled.Response : ReadOnlyMemory<byte>.Empty;
}

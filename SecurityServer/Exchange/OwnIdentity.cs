using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Ocsp;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>This server's current TLS authentication identity and the OCSP status it staples for it.</summary>
public sealed class OwnIdentity
{
    private readonly Func<AuthenticationIdentity?> _authentication;
    private readonly OcspStatusManager _ocsp;

    /// <summary>Creates the holder over the current identity (null while the token is logged out).</summary>
    public OwnIdentity(Func<AuthenticationIdentity?> authentication, OcspStatusManager ocsp)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(ocsp);
        _authentication = authentication;
        _ocsp = ocsp;
    }

    /// <summary>The authentication certificate with key, and its chain; null while unavailable.</summary>
    public AuthenticationIdentity? Authentication => _authentication();

    /// <summary>The latest verified OCSP response for the authentication certificate (empty until one is fetched, or without an identity).</summary>
    public ReadOnlyMemory<byte> AuthenticationOcsp() =>
        Authentication is { } identity && _ocsp.TryGetStapled(identity.Certificate, out var stapled) ? stapled.Response : ReadOnlyMemory<byte>.Empty;
}

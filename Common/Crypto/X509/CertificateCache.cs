using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Common.Crypto.X509;

/// <summary>
/// Parsed certificates by the SHA-256 of their DER. Loading an <see cref="X509Certificate2"/> costs
/// about 250 µs on Linux, several times a signature check, and the same few certificates arrive in
/// every message of a federation. Certificates handed out are shared: callers must not dispose them.
/// Thread-safe and bounded.
/// </summary>
public sealed class CertificateCache
{
    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);
    private readonly int _capacity;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> certificates.</summary>
    public CertificateCache(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Returns the parsed certificate for <paramref name="der"/>, loading it on first sight.</summary>
    /// <exception cref="CryptographicException">The bytes are not a certificate.</exception>
    public X509Certificate2 GetOrLoad(ReadOnlySpan<byte> der)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(der, hash);
        var key = Convert.ToHexString(hash);
        if (_certificates.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var loaded = X509CertificateLoader.LoadCertificate(der);
        if (_certificates.Count >= _capacity)
        {
            // Bounded, and crude on purpose: a federation has far fewer live certificates than this.
            _certificates.Clear();
        }

        return _certificates.GetOrAdd(key, loaded);
    }
}

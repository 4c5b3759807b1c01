using System.Net.Security;
using System.Security.Authentication;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// TLS between security servers (ARCHITECTURE.md §5): TLS 1.3, or 1.2 with forward-secret AEAD suites
/// only; the peer's certificate is judged against global configuration, never the OS trust store.
/// </summary>
public static class InterServerTls
{
    /// <summary>The protocol versions allowed.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls13 | SslProtocols.Tls12;

    /// <summary>The cipher suites allowed (TLS 1.3 suites, and ECDHE + AEAD for 1.2); null where the platform cannot restrict them.</summary>
    public static CipherSuitesPolicy? CipherSuites { get; } = CreatePolicy();

    private static CipherSuitesPolicy? CreatePolicy()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return null;
        }

        return new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ]);
    }
}

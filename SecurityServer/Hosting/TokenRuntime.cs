using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Signing;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// Keeps the running server in step with its token, so a server onboarded through the admin API serves
/// without a restart and a logout stops it at once:
/// <list type="bullet">
/// <item>the authentication identity used for TLS on both sides of the server proxy;</item>
/// <item>the signing identities in the <see cref="BatchingSigner"/>, and its <c>TokenActive</c> switch
/// (logged out: every signature fails with <c>token_not_active</c> and no decrypted key stays in memory);</item>
/// <item>OCSP tracking of every active certificate of the token;</item>
/// <item>the internal TLS certificate of the client proxy's HTTPS port, whose key is a token secret.</item>
/// </list>
/// Runs on every <see cref="SoftwareToken.Changed"/> and once at start.
/// </summary>
public sealed partial class TokenRuntime : IDisposable
{
    /// <summary>The token secret holding the internal TLS certificate and key (PKCS#12).</summary>
    public const string InternalTlsSecret = "internal-tls";

    private readonly SoftwareToken _token;
    private readonly BatchingSigner _signer;
    private readonly OcspStatusManager _ocsp;
    private readonly TimeProvider _time;
    private readonly string _dataDirectory;
    private readonly ILogger<TokenRuntime> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, X509Certificate2> _tracked = new(StringComparer.Ordinal);
    private readonly Dictionary<MemberId, string> _signing = [];
    private AuthenticationIdentity? _authentication;
    private X509Certificate2? _internalTls;
    private bool _disposed;

    /// <summary>Creates the runtime and applies the token's current state.</summary>
    public TokenRuntime(SoftwareToken token, BatchingSigner signer, OcspStatusManager ocsp, TimeProvider time, string dataDirectory, ILogger<TokenRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(ocsp);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(logger);
        _token = token;
        _signer = signer;
        _ocsp = ocsp;
        _time = time;
        _dataDirectory = dataDirectory;
        _logger = logger;
        _token.Changed += OnTokenChanged;
        Refresh();
    }

    /// <summary>Raised after the authentication identity changed (the peer client rebuilds its connection pool).</summary>
    public event EventHandler? AuthenticationChanged;

    /// <summary>The TLS identity of the server proxy; null while the token is logged out or has no active authentication certificate.</summary>
    public AuthenticationIdentity? Authentication => Volatile.Read(ref _authentication);

    /// <summary>The certificate (with key) of the client proxy's HTTPS port; null while the token is logged out.</summary>
    public X509Certificate2? InternalTls => Volatile.Read(ref _internalTls);

    /// <summary>Path of the internal TLS certificate (public part), for information systems to pin.</summary>
    public string InternalTlsCertificatePath => Path.Combine(_dataDirectory, "internal-tls.cert.pem");

    /// <summary>Re-reads the token and applies it. Safe to call at any time.</summary>
    public void Refresh()
    {
        var authenticationChanged = false;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var loggedIn = _token.Status == TokenStatus.LoggedIn;
            _signer.TokenActive = loggedIn;
            TrackCertificates();
            authenticationChanged = ApplyAuthentication(loggedIn ? _token.GetAuthenticationIdentity() : null);
            ApplySigning(loggedIn ? _token.GetSigningIdentities() : []);
            ApplyInternalTls(loggedIn);
        }

        if (authenticationChanged)
        {
            AuthenticationChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _token.Changed -= OnTokenChanged;
            foreach (var certificate in _tracked.Values)
            {
                _ocsp.Untrack(certificate);
                certificate.Dispose();
            }

            _tracked.Clear();

            // Identities in use by open connections are left to the GC rather than disposed under them.
            _authentication = null;
            _internalTls = null;
        }
    }

    private void OnTokenChanged(object? sender, EventArgs e)
    {
        try
        {
            Refresh();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or InvalidOperationException)
        {
            LogRefreshFailed(_logger, ex.Message);
        }
    }

    private bool ApplyAuthentication(AuthenticationIdentity? next)
    {
        var current = _authentication;
        if (string.Equals(current?.CertificateSha256, next?.CertificateSha256, StringComparison.Ordinal))
        {
            next?.Dispose();
            return false;
        }

        // The old identity is not disposed: pooled connections and handshakes in flight may still use it.
        Volatile.Write(ref _authentication, next);
        LogAuthentication(_logger, next?.CertificateSha256 ?? "none");
        return true;
    }

    private void ApplySigning(IReadOnlyList<SigningIdentity> identities)
    {
        var wanted = new HashSet<MemberId>();
        foreach (var identity in identities)
        {
            wanted.Add(identity.Member);
            if (_signing.TryGetValue(identity.Member, out var sha) && string.Equals(sha, identity.CertificateSha256, StringComparison.Ordinal) && _signer.HasKey(identity.Member))
            {
                identity.Dispose();
                continue;
            }

            _signing[identity.Member] = identity.CertificateSha256;
            _signer.AddOrReplace(identity); // the signer owns it now
        }

        foreach (var member in _signing.Keys.Where(m => !wanted.Contains(m)).ToList())
        {
            _signing.Remove(member);
            _signer.Remove(member);
        }
    }

    // Every active certificate of the token (registered or not) has its OCSP status kept, so the admin
    // API shows it before registration and the first exchange does not wait for a fetch.
    private void TrackCertificates()
    {
        var wanted = new Dictionary<string, CertificateInfo>(StringComparer.Ordinal);
        foreach (var key in _token.Describe().Keys)
        {
            foreach (var certificate in key.Certificates)
            {
                if (certificate.Active && certificate.State != CertificateState.Deleted && certificate.NotAfter > _time.GetUtcNow())
                {
                    wanted[certificate.Id] = certificate;
                }
            }
        }

        foreach (var id in _tracked.Keys.Where(id => !wanted.ContainsKey(id)).ToList())
        {
            _ocsp.Untrack(_tracked[id]);
            _tracked.Remove(id);
        }

        foreach (var (id, info) in wanted)
        {
            if (_tracked.ContainsKey(id))
            {
                continue;
            }

            var certificate = X509CertificateLoader.LoadCertificate(info.Der.Span);
            var chain = info.Chain.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToList();
            try
            {
                _ocsp.Track(certificate, chain);
                _tracked[id] = certificate;
            }
            catch (ArgumentException ex)
            {
                // Imported without its issuer: no OCSP request can be made for it.
                LogUntrackable(_logger, id, ex.Message);
                certificate.Dispose();
            }
            finally
            {
                foreach (var c in chain)
                {
                    c.Dispose();
                }
            }
        }
    }

    private void ApplyInternalTls(bool loggedIn)
    {
        if (!loggedIn)
        {
            Volatile.Write(ref _internalTls, null);
            return;
        }

        if (_internalTls is not null)
        {
            return;
        }

        var stored = _token.LoadSecret(InternalTlsSecret);
        byte[] pkcs12;
        if (stored.Success)
        {
            pkcs12 = stored.Value;
        }
        else
        {
            pkcs12 = CreateInternalTls();
            var saved = _token.StoreSecret(InternalTlsSecret, pkcs12);
            if (!saved.Success)
            {
                LogRefreshFailed(_logger, $"the internal TLS key cannot be stored in the token: {saved.Message}");
                CryptographicOperations.ZeroMemory(pkcs12);
                return;
            }
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12(pkcs12, null);
            WritePublicCertificate(certificate);
            Volatile.Write(ref _internalTls, certificate);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
        }
    }

    private byte[] CreateInternalTls()
    {
        // A key left by an earlier version as plaintext PEM is adopted into the token and then removed.
        var legacyCert = Path.Combine(_dataDirectory, "internal-tls.cert.pem");
        var legacyKey = Path.Combine(_dataDirectory, "internal-tls.key.pem");
        if (File.Exists(legacyCert) && File.Exists(legacyKey))
        {
            using var legacy = X509Certificate2.CreateFromPemFile(legacyCert, legacyKey);
            var adopted = legacy.Export(X509ContentType.Pkcs12);
            File.Delete(legacyKey);
            LogAdopted(_logger, legacyKey);
            return adopted;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ExchangeGateway security server (internal)", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = _time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
        return certificate.Export(X509ContentType.Pkcs12);
    }

    private void WritePublicCertificate(X509Certificate2 certificate)
    {
        var pem = certificate.ExportCertificatePem() + "\n";
        if (File.Exists(InternalTlsCertificatePath) && string.Equals(File.ReadAllText(InternalTlsCertificatePath), pem, StringComparison.Ordinal))
        {
            return;
        }

        Directory.CreateDirectory(_dataDirectory);
        File.WriteAllText(InternalTlsCertificatePath, pem);
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Authentication certificate in use: {Sha256}")]
    private static partial void LogAuthentication(ILogger logger, string sha256);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "The token could not be applied: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Certificate {Id} has no issuer in its chain; its OCSP status cannot be kept: {Reason}")]
    private static partial void LogUntrackable(ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Information, Message = "The plaintext internal TLS key {Path} was moved into the token and deleted")]
    private static partial void LogAdopted(ILogger logger, string path);
}

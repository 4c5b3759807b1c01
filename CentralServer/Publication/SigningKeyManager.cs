using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>
/// The Central Server's configuration-signing keys and their rotation without a gap: a new key is
/// created in standby and goes into the anchor at once; after security servers hold an anchor with
/// both, it is activated, and the old key stays verifiable (standby) until retired. Private keys are
/// PKCS#8 files under <c>private/</c> with owner-only permissions; they never leave this class.
/// </summary>
public sealed class SigningKeyManager
{
    private readonly PublicationStore _store;
    private readonly string _privateDirectory;
    private readonly TimeProvider _time;
    private readonly string _instanceId;
    private readonly Lock _gate = new();

    /// <summary>Creates the manager over a store and a data directory.</summary>
    public SigningKeyManager(PublicationStore store, string dataDirectory, string instanceId, TimeProvider time)
    {
        _store = store;
        _privateDirectory = Path.Combine(dataDirectory, "private");
        _instanceId = instanceId;
        _time = time;
    }

    /// <summary>Creates and activates the first key when there is none (first start).</summary>
    public void EnsureInitialKey()
    {
        lock (_gate)
        {
            if (_store.ListSigningKeys().Count == 0)
            {
                var id = CreateKey();
                _store.SetSigningKeyStates([(id, SigningKeyState.Active)]);
            }
        }
    }

    /// <summary>All keys, as the API shows them.</summary>
    public IReadOnlyList<SigningKeyInfo> List() =>
        _store.ListSigningKeys().Select(k => new SigningKeyInfo(k.Id, k.State, k.CreatedAt, X509CertificateLoader.LoadCertificate(k.Certificate))).ToArray();

    /// <summary>The verification certificates that belong in the anchor: every key not retired.</summary>
    public IReadOnlyList<X509Certificate2> AnchorCertificates() =>
        _store.ListSigningKeys().Where(k => k.State != SigningKeyState.Retired).Select(k => X509CertificateLoader.LoadCertificate(k.Certificate)).ToArray();

    /// <summary>Generates a new key in standby and returns its id.</summary>
    public string CreateStandbyKey()
    {
        lock (_gate)
        {
            return CreateKey();
        }
    }

    /// <summary>Makes a standby key the signing key; the previous one stays in the anchor as standby.</summary>
    public SigningKeyResult Activate(string id)
    {
        lock (_gate)
        {
            var keys = _store.ListSigningKeys();
            var target = keys.FirstOrDefault(k => k.Id == id);
            if (target.Id is null)
            {
                return SigningKeyResult.NotFound;
            }

            if (target.State == SigningKeyState.Active)
            {
                return SigningKeyResult.Ok;
            }

            if (target.State == SigningKeyState.Retired)
            {
                return SigningKeyResult.InvalidState;
            }

            var changes = keys.Where(k => k.State == SigningKeyState.Active).Select(k => (k.Id, SigningKeyState.Standby)).ToList();
            changes.Add((id, SigningKeyState.Active));
            _store.SetSigningKeyStates(changes);
            return SigningKeyResult.Ok;
        }
    }

    /// <summary>Removes a standby key from the anchor. The active key cannot be retired.</summary>
    public SigningKeyResult Retire(string id)
    {
        lock (_gate)
        {
            var target = _store.ListSigningKeys().FirstOrDefault(k => k.Id == id);
            if (target.Id is null)
            {
                return SigningKeyResult.NotFound;
            }

            if (target.State == SigningKeyState.Active)
            {
                return SigningKeyResult.InvalidState;
            }

            _store.SetSigningKeyStates([(id, SigningKeyState.Retired)]);
            return SigningKeyResult.Ok;
        }
    }

    /// <summary>The active key's certificate with its private key, for signing one generation.</summary>
    public X509Certificate2 LoadActive()
    {
        var active = _store.ListSigningKeys().Single(k => k.State == SigningKeyState.Active);
        using var cert = X509CertificateLoader.LoadCertificate(active.Certificate);
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(_privateDirectory, active.KeyFile)));
        return cert.CopyWithPrivateKey(key);
    }

    private string CreateKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = _time.GetUtcNow();
        var request = new CertificateRequest($"CN={_instanceId} configuration signing {now:yyyyMMddHHmmss}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        var id = Convert.ToHexStringLower(cert.GetCertHash(HashAlgorithmName.SHA256));
        var keyFile = $"config-signing-{id[..16]}.key";
        Directory.CreateDirectory(_privateDirectory);
        var path = Path.Combine(_privateDirectory, keyFile);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        _store.AddSigningKey(id, SigningKeyState.Standby, now, cert.RawData, keyFile);
        return id;
    }
}

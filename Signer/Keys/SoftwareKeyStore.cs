using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Common.Crypto;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Identities;

namespace ExchangeGateway.Signer.Keys;

/// <summary>
/// Keys and certificates in files, in one directory (mode 0700):
/// <list type="bullet">
/// <item><c>{stem}.key.pem</c>: the private key as PKCS#8 PEM, mode 0600, <b>not encrypted</b> yet (PIN-protected
/// tokens come with the key lifecycle, issue #6);</item>
/// <item><c>{stem}.cert.pem</c>: the certificate, then its issuing chain, as PEM.</item>
/// </list>
/// The stem is <c>auth</c> for the authentication key and <c>sign_INSTANCE_CLASS_CODE</c> for a member's
/// signing key (see <see cref="KeySlot"/>). Every write is atomic. A key is created once and never
/// replaced by this class: replacing it would orphan a registered certificate.
/// Thread-safe for distinct slots; the caller serialises writes to one slot.
/// </summary>
public sealed class SoftwareKeyStore
{
    /// <summary>Suffix of private-key files.</summary>
    public const string KeySuffix = ".key.pem";

    /// <summary>Suffix of certificate files.</summary>
    public const string CertificateSuffix = ".cert.pem";

    /// <summary>Key files larger than this are refused unread (an RSA-3072 PKCS#8 PEM is about 2.5 KiB).</summary>
    private const int MaxKeyFileBytes = 16 * 1024;

    /// <summary>Certificate files larger than this are refused unread.</summary>
    private const int MaxCertificateFileBytes = 256 * 1024;

    /// <summary>Opens (and creates, owner-only, if missing) the store in <paramref name="directory"/>.</summary>
    public SoftwareKeyStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The store's directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>Where the private key of <paramref name="slot"/> lives.</summary>
    public string KeyPath(KeySlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return Path.Combine(Directory, slot.FileStem + KeySuffix);
    }

    /// <summary>Where the certificate and chain of <paramref name="slot"/> live.</summary>
    public string CertificatePath(KeySlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return Path.Combine(Directory, slot.FileStem + CertificateSuffix);
    }

    /// <summary>True when a private key exists for <paramref name="slot"/>.</summary>
    public bool HasKey(KeySlot slot) => File.Exists(KeyPath(slot));

    /// <summary>True when a certificate exists for <paramref name="slot"/>.</summary>
    public bool HasCertificate(KeySlot slot) => File.Exists(CertificatePath(slot));

    /// <summary>
    /// Generates a key for <paramref name="slot"/> and writes it (mode 0600). The caller owns the result.
    /// </summary>
    /// <exception cref="InvalidOperationException">The slot already has a key.</exception>
    public AsymmetricAlgorithm CreateKey(KeySlot slot, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        var path = KeyPath(slot);
        AsymmetricAlgorithm key = algorithm switch
        {
            KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            KeyAlgorithm.Rsa2048 => RSA.Create(2048),
            KeyAlgorithm.Rsa3072 => RSA.Create(3072),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
        };

        var pkcs8 = key.ExportPkcs8PrivateKey();
        var pem = PemEncoding.Write("PRIVATE KEY", pkcs8);
        var bytes = new byte[Encoding.ASCII.GetByteCount(pem) + 1];
        try
        {
            Encoding.ASCII.GetBytes(pem, bytes);
            bytes[^1] = (byte)'\n';
            if (!AtomicFile.TryCreate(path, bytes, AtomicFile.OwnerOnly))
            {
                key.Dispose();
                throw new InvalidOperationException($"The {slot} key already exists in {path}; keys are never replaced.");
            }

            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(pem);
        }
    }

    /// <summary>Reads the private key of <paramref name="slot"/>; null when there is none. The caller owns the result.</summary>
    /// <exception cref="CryptographicException">The key file is not a PKCS#8 PEM ECDSA or RSA key.</exception>
    public AsymmetricAlgorithm? LoadKey(KeySlot slot)
    {
        var path = KeyPath(slot);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = ReadBounded(path, MaxKeyFileBytes);
        var chars = new char[bytes.Length];
        byte[]? der = null;
        try
        {
            Encoding.ASCII.GetChars(bytes, chars);
            if (!PemEncoding.TryFind(chars, out var fields) || !chars.AsSpan()[fields.Label].SequenceEqual("PRIVATE KEY"))
            {
                throw new CryptographicException($"{path} holds no PKCS#8 'PRIVATE KEY' PEM block.");
            }

            der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(chars.AsSpan()[fields.Base64Data], der, out var written))
            {
                throw new CryptographicException($"{path} holds an unreadable PEM block.");
            }

            var info = Pkcs8PrivateKeyInfo.Decode(der.AsMemory(0, written), out _, skipCopy: true);
            AsymmetricAlgorithm key = info.AlgorithmId.Value switch
            {
                Oids.EcPublicKey => ECDsa.Create(),
                Oids.Rsa => RSA.Create(),
                _ => throw new CryptographicException($"{path} holds a {info.AlgorithmId.Value} key; only ECDSA and RSA keys are used."),
            };

            try
            {
                key.ImportPkcs8PrivateKey(der.AsSpan(0, written), out _);
            }
            catch
            {
                key.Dispose();
                throw;
            }

            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(chars);
            if (der is not null)
            {
                CryptographicOperations.ZeroMemory(der);
            }
        }
    }

    /// <summary>
    /// Stores the certificate issued for <paramref name="slot"/>'s key with its issuing chain (issuer
    /// first), replacing any earlier certificate of that key.
    /// </summary>
    /// <exception cref="InvalidOperationException">The slot has no key, or the certificate is for another key.</exception>
    public void StoreCertificate(KeySlot slot, X509Certificate2 certificate, IEnumerable<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        using (var key = LoadKey(slot) ?? throw new InvalidOperationException($"The {slot} slot has no key to store a certificate for."))
        {
            if (!MatchesKey(certificate, key))
            {
                throw new InvalidOperationException($"The certificate '{certificate.Subject}' is not for the {slot} key.");
            }
        }

        var pem = new StringBuilder();
        pem.Append(certificate.ExportCertificatePem()).Append('\n');
        foreach (var c in chain)
        {
            pem.Append(c.ExportCertificatePem()).Append('\n');
        }

        AtomicFile.Write(CertificatePath(slot), Encoding.ASCII.GetBytes(pem.ToString()), AtomicFile.PublicRead);
    }

    /// <summary>
    /// Reads the certificate of <paramref name="slot"/> followed by its chain; null when there is none.
    /// The caller owns the certificates.
    /// </summary>
    /// <exception cref="CryptographicException">The file holds no certificate.</exception>
    public IReadOnlyList<X509Certificate2>? LoadCertificates(KeySlot slot)
    {
        var path = CertificatePath(slot);
        if (!File.Exists(path))
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(Encoding.ASCII.GetString(ReadBounded(path, MaxCertificateFileBytes)));
        if (collection.Count == 0)
        {
            throw new CryptographicException($"{path} holds no certificate.");
        }

        return [.. collection];
    }

    /// <summary>
    /// The authentication identity when both key and certificate are present; null otherwise. The caller
    /// owns the result.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stored certificate is not for the stored key.</exception>
    public AuthenticationIdentity? LoadAuthenticationIdentity()
    {
        var loaded = LoadWithKey(KeySlot.Authentication);
        if (loaded is not { } l)
        {
            return null;
        }

        using (l.Key)
        {
            return new AuthenticationIdentity(l.Certificate, l.Chain);
        }
    }

    /// <summary>The signing identity of <paramref name="member"/> when key and certificate are present; null otherwise. The caller owns the result.</summary>
    /// <exception cref="InvalidOperationException">The stored certificate is not for the stored key.</exception>
    public SigningIdentity? LoadSigningIdentity(MemberId member)
    {
        var loaded = LoadWithKey(KeySlot.ForSigning(member));
        return loaded is { } l ? new SigningIdentity(member, l.Certificate, l.Key, l.Chain) : null;
    }

    /// <summary>The members with a signing key in this store (with or without a certificate), in ordinal order.</summary>
    public IReadOnlyList<MemberId> ListSigningMembers() =>
        [.. System.IO.Directory.EnumerateFiles(Directory, "sign_*" + KeySuffix)
            .Select(f => Path.GetFileName(f)[..^KeySuffix.Length])
            .Select(KeySlot.FromFileStem)
            .Where(s => s?.Member is not null)
            .Select(s => s!.Member!)
            .OrderBy(m => m.ToString(), StringComparer.Ordinal)];

    /// <summary>True when <paramref name="certificate"/> certifies the public half of <paramref name="key"/>.</summary>
    internal static bool MatchesKey(X509Certificate2 certificate, AsymmetricAlgorithm key) =>
        CryptographicOperations.FixedTimeEquals(certificate.PublicKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());

    private (X509Certificate2 Certificate, AsymmetricAlgorithm Key, IReadOnlyList<X509Certificate2> Chain)? LoadWithKey(KeySlot slot)
    {
        var certificates = LoadCertificates(slot);
        if (certificates is null)
        {
            return null;
        }

        var key = LoadKey(slot);
        if (key is null)
        {
            DisposeAll(certificates);
            return null;
        }

        var leaf = certificates[0];
        try
        {
            if (!MatchesKey(leaf, key))
            {
                throw new InvalidOperationException($"The {slot} certificate in {CertificatePath(slot)} is not for the key in {KeyPath(slot)}.");
            }

            // On Linux the copy shares the OpenSSL key handle and works with SslStream as it is (a
            // test proves the mutual TLS 1.3 handshake); Windows SChannel would need a persisted key.
            var withKey = key switch
            {
                ECDsa ec => leaf.CopyWithPrivateKey(ec),
                RSA rsa => leaf.CopyWithPrivateKey(rsa),
                _ => throw new InvalidOperationException("Only ECDSA and RSA keys are stored."),
            };
            leaf.Dispose();
            return (withKey, key, certificates.Skip(1).ToArray());
        }
        catch
        {
            key.Dispose();
            DisposeAll(certificates);
            throw;
        }
    }

    private static byte[] ReadBounded(string path, int max)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > max)
        {
            throw new CryptographicException($"{path} is {stream.Length} bytes, more than the {max} a key-store file may have.");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static void DisposeAll(IEnumerable<X509Certificate2> certificates)
    {
        foreach (var c in certificates)
        {
            c.Dispose();
        }
    }
}

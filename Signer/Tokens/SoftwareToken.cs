using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Common.Crypto;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Tokens;

/// <summary>
/// The software token (id <c>0</c>): keys in files encrypted under a key derived from the PIN, their
/// certificates and CSRs, and the certificates' registration states, in one directory. See the
/// Signer README ("Software token") for the file format. Thread-safe: every operation runs under one
/// lock. <see cref="Changed"/> is raised after every change, outside the lock.
/// </summary>
public sealed class SoftwareToken : IDisposable
{
    /// <summary>The software token's id.</summary>
    public const string SoftwareTokenId = "0";

    /// <summary>The metadata file in the token directory.</summary>
    public const string TokenFileName = "token.json";

    /// <summary>The suffix of encrypted key files, <c>{keyId}.key</c>.</summary>
    public const string KeyFileSuffix = ".key";

    private const string SecretPrefix = "secret-";
    private const string SecretSuffix = ".bin";
    private const int MaxTokenFileBytes = 4 * 1024 * 1024;
    private const int MaxKeyFileBytes = 16 * 1024;
    private const int MaxSecretBytes = 64 * 1024;
    private const int MaxImportBytes = 256 * 1024;
    private const int MaxImportCertificates = 16;
    private const int MaxFriendlyNameLength = 255;

    private readonly Lock _gate = new();
    private TokenFile? _file;

    // The data-encryption key while logged in (pinned, zeroed at logout); null when logged out.
    private byte[]? _dek;
    private long _version;
    private bool _disposed;

    /// <summary>Opens the token in <see cref="SoftwareTokenOptions.Directory"/> (creating the directory, mode 0700). Logged out.</summary>
    /// <exception cref="ArgumentException">The options are unusable (empty directory, bad policy, iterations out of range).</exception>
    /// <exception cref="InvalidDataException"><c>token.json</c> exists but is not a token file.</exception>
    public SoftwareToken(SoftwareTokenOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Directory);
        ArgumentNullException.ThrowIfNull(options.Policy);
        options.Policy.Validate();
        if (options.Pbkdf2Iterations is < TokenCipher.MinIterations or > TokenCipher.MaxIterations)
        {
            throw new ArgumentException($"Pbkdf2Iterations must be {TokenCipher.MinIterations} to {TokenCipher.MaxIterations}, not {options.Pbkdf2Iterations}.", nameof(options));
        }

        Options = options;
        Time = time ?? TimeProvider.System;
        Directory = Path.GetFullPath(options.Directory);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        _file = ReadTokenFile();
    }

    /// <summary>Raised after any change of status, keys, certificates, states or activation (not under a lock).</summary>
    public event EventHandler? Changed;

    /// <summary>The options it was opened with.</summary>
    public SoftwareTokenOptions Options { get; }

    /// <summary>The token's directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>The current status.</summary>
    public TokenStatus Status
    {
        get
        {
            lock (_gate)
            {
                return StatusLocked(Time.GetUtcNow());
            }
        }
    }

    private TimeProvider Time { get; }

    private string TokenFilePath => Path.Combine(Directory, TokenFileName);

    /// <summary>The token with its keys, certificates and CSRs (works logged out).</summary>
    public TokenInfo Describe()
    {
        lock (_gate)
        {
            var now = Time.GetUtcNow();
            var lockedUntil = _file?.LockedUntil is { } until && until > now ? until : (DateTimeOffset?)null;
            return new TokenInfo
            {
                Id = SoftwareTokenId,
                Name = "softToken-" + SoftwareTokenId,
                Status = StatusLocked(now),

                // An expired lockout is forgotten at the next login: report it as gone already.
                FailedAttempts = _file is null || (_file.LockedUntil is not null && lockedUntil is null) ? 0 : _file.FailedAttempts,
                MaxFailedAttempts = Options.Policy.MaxFailedAttempts,
                LockedUntil = lockedUntil,
                Keys = _file is null ? [] : [.. _file.Keys.Select(ToKeyInfo)],
            };
        }
    }

    /// <summary>The key <paramref name="keyId"/> (works logged out).</summary>
    public TokenResult<KeyInfo> GetKey(string keyId)
    {
        lock (_gate)
        {
            return FindKey(_file, keyId) is { } key
                ? TokenResult<KeyInfo>.Ok(ToKeyInfo(key))
                : TokenResult<KeyInfo>.Fail(TokenErrors.KeyNotFound, $"the token has no key '{keyId}'");
        }
    }

    /// <summary>The certificate <paramref name="certificateId"/> (SHA-256 of its DER, lowercase hex; works logged out).</summary>
    public TokenResult<CertificateInfo> GetCertificate(string certificateId)
    {
        lock (_gate)
        {
            return FindCertificate(_file, certificateId) is { } found
                ? TokenResult<CertificateInfo>.Ok(ToCertificateInfo(found.Key, found.Certificate))
                : TokenResult<CertificateInfo>.Fail(TokenErrors.CertificateNotFound, $"the token has no certificate '{certificateId}'");
        }
    }

    /// <summary>The CSR <paramref name="csrId"/> (works logged out).</summary>
    public TokenResult<CsrInfo> GetCsr(string csrId)
    {
        lock (_gate)
        {
            return FindCsr(_file, csrId) is { } found
                ? TokenResult<CsrInfo>.Ok(ToCsrInfo(found.Key, found.Csr))
                : TokenResult<CsrInfo>.Fail(TokenErrors.CsrNotFound, $"the token has no CSR '{csrId}'");
        }
    }

    /// <summary>Sets the first PIN (policy-checked) and logs in.</summary>
    public TokenResult Initialise(string pin) => Locked(() =>
    {
        if (_file is not null)
        {
            return TokenResult.Fail(TokenErrors.AlreadyInitialised, "the token already has a PIN; change it with the old one");
        }

        if (Options.Policy.Check(pin) is { } problem)
        {
            return TokenResult.Fail(TokenErrors.PinPolicy, problem);
        }

        var dek = TokenCipher.NewSecretBuffer(TokenCipher.KeyBytes);
        try
        {
            RandomNumberGenerator.Fill(dek);
            var file = new TokenFile { Kdf = null!, Dek = null! };
            WrapDek(file, pin, dek);
            WriteTokenFile(file);
            _file = file;
            SetDek(dek);
            dek = null;
            _version++;
            return TokenResult.Ok;
        }
        finally
        {
            if (dek is not null)
            {
                CryptographicOperations.ZeroMemory(dek);
            }
        }
    });

    /// <summary>
    /// Logs in: checks the PIN, counts failures, locks out after too many. The wrong PIN that reaches
    /// <see cref="PinPolicy.MaxFailedAttempts"/> answers <see cref="TokenErrors.LockedOut"/>; while locked,
    /// every PIN (the right one too) answers <see cref="TokenErrors.LockedOut"/> and is not counted.
    /// </summary>
    public TokenResult Login(string pin) => Locked(() =>
    {
        var dek = VerifyPin(pin, out var failure);
        if (dek is null)
        {
            return failure!;
        }

        SetDek(dek);
        _version++;
        return TokenResult.Ok;
    });

    /// <summary>Logs out: forgets the data-encryption key; key files stay encrypted. Identities handed out before are the callers' to drop.</summary>
    public void Logout() => Locked(() =>
    {
        if (_dek is not null)
        {
            ForgetDek();
            _version++;
        }

        return TokenResult.Ok;
    });

    /// <summary>
    /// Changes the PIN (needs the old one; counts as a login attempt). The keys stay as they are: only
    /// the data-encryption key is wrapped again, under a key derived from the new PIN with a new salt and
    /// the current <see cref="SoftwareTokenOptions.Pbkdf2Iterations"/>. Logged in afterwards.
    /// </summary>
    public TokenResult ChangePin(string oldPin, string newPin) => Locked(() =>
    {
        if (_file is null)
        {
            return TokenResult.Fail(TokenErrors.NotInitialised, "the token has no PIN yet");
        }

        if (Options.Policy.Check(newPin) is { } problem)
        {
            return TokenResult.Fail(TokenErrors.PinPolicy, "new PIN: " + problem);
        }

        var dek = VerifyPin(oldPin, out var failure);
        if (dek is null)
        {
            return failure!;
        }

        try
        {
            var next = CloneFile();
            WrapDek(next, newPin, dek);
            WriteTokenFile(next);
            _file = next;
            SetDek(dek);
            dek = null;
            _version++;
            return TokenResult.Ok;
        }
        finally
        {
            if (dek is not null)
            {
                CryptographicOperations.ZeroMemory(dek);
            }
        }
    });

    /// <summary>Generates a key (logged in only). A signing key needs its member; an authentication key has none.</summary>
    public TokenResult<KeyInfo> GenerateKey(KeyPurpose usage, string friendlyName, MemberId? member, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256) => Locked(() =>
    {
        if (CheckFriendlyName(friendlyName) is { } nameProblem)
        {
            return TokenResult<KeyInfo>.Fail(TokenErrors.InvalidRequest, nameProblem);
        }

        if (!Enum.IsDefined(usage) || !Enum.IsDefined(algorithm))
        {
            return TokenResult<KeyInfo>.Fail(TokenErrors.InvalidRequest, $"unknown key usage {usage} or algorithm {algorithm}");
        }

        if ((usage == KeyPurpose.Signing) != (member is not null))
        {
            return TokenResult<KeyInfo>.Fail(TokenErrors.InvalidRequest, usage == KeyPurpose.Signing
                ? "a signing key needs the member it signs for"
                : "an authentication key belongs to the server, not to a member");
        }

        if (RequireActive() is { } inactive)
        {
            return TokenResult<KeyInfo>.Fail(inactive.Code!, inactive.Message!);
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var key = CreateKey(algorithm);
        byte[] sealedKey;
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            sealedKey = TokenCipher.SealFile(_dek!, pkcs8, TokenCipher.KeyAad(id));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        var path = KeyPath(id);
        if (!AtomicFile.TryCreate(path, sealedKey, AtomicFile.OwnerOnly))
        {
            throw new InvalidOperationException($"A key file {path} already exists for a freshly drawn random key id.");
        }

        var entry = new TokenKeyEntry
        {
            Id = id,
            FriendlyName = friendlyName,
            Usage = usage,
            Algorithm = algorithm,
            Member = member?.ToString(),
            PublicKey = key.ExportSubjectPublicKeyInfo(),
            CreatedAt = Time.GetUtcNow(),
        };
        var next = CloneFile();
        next.Keys.Add(entry);
        try
        {
            Commit(next);
        }
        catch
        {
            // Never leave a key file that token.json does not list.
            File.Delete(path);
            throw;
        }

        return TokenResult<KeyInfo>.Ok(ToKeyInfo(entry));
    });

    /// <summary>Renames a key (works logged out).</summary>
    public TokenResult<KeyInfo> RenameKey(string keyId, string friendlyName) => Locked(() =>
    {
        if (CheckFriendlyName(friendlyName) is { } nameProblem)
        {
            return TokenResult<KeyInfo>.Fail(TokenErrors.InvalidRequest, nameProblem);
        }

        var next = CloneFile();
        if (FindKey(next, keyId) is not { } key)
        {
            return TokenResult<KeyInfo>.Fail(TokenErrors.KeyNotFound, $"the token has no key '{keyId}'");
        }

        if (key.FriendlyName != friendlyName)
        {
            key.FriendlyName = friendlyName;
            Commit(next);
        }

        return TokenResult<KeyInfo>.Ok(ToKeyInfo(key));
    });

    /// <summary>
    /// Deletes a key with its certificates and CSRs (logged in only: destroying a key is for the PIN
    /// holder); refused (<see cref="TokenErrors.InUse"/>) while one of its authentication certificates is
    /// registered or in progress.
    /// </summary>
    public TokenResult DeleteKey(string keyId) => Locked(() =>
    {
        var next = CloneFile();
        if (FindKey(next, keyId) is not { } key)
        {
            return TokenResult.Fail(TokenErrors.KeyNotFound, $"the token has no key '{keyId}'");
        }

        if (RequireActive() is { } inactive)
        {
            return inactive;
        }

        if (key.Certificates.FirstOrDefault(c => IsInUse(key, c)) is { } used)
        {
            return TokenResult.Fail(TokenErrors.InUse, $"the key's authentication certificate {CertificateId(used)} is {used.State}; unregister it first");
        }

        next.Keys.Remove(key);
        Commit(next);

        // token.json no longer names the file; a crash here leaves an orphan file, never a dangling entry.
        File.Delete(KeyPath(key.Id));
        return TokenResult.Ok;
    });

    /// <summary>
    /// Makes a PKCS#10 request with the key (logged in only), SHA-256 (PKCS#1 v1.5 for RSA), for
    /// <paramref name="subject"/>, asking for the key usages of the key's purpose (the CA's profile decides).
    /// </summary>
    public TokenResult<CsrInfo> CreateCsr(string keyId, X500DistinguishedName subject) => Locked(() =>
    {
        ArgumentNullException.ThrowIfNull(subject);
        var next = CloneFile();
        if (FindKey(next, keyId) is not { } key)
        {
            return TokenResult<CsrInfo>.Fail(TokenErrors.KeyNotFound, $"the token has no key '{keyId}'");
        }

        if (subject.RawData.Length <= 2)
        {
            return TokenResult<CsrInfo>.Fail(TokenErrors.InvalidRequest, "the subject is empty");
        }

        if (RequireActive() is { } inactive)
        {
            return TokenResult<CsrInfo>.Fail(inactive.Code!, inactive.Message!);
        }

        byte[] der;
        using (var privateKey = LoadPrivateKey(key))
        {
            var request = privateKey switch
            {
                ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
                RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => throw new InvalidOperationException("Only ECDSA and RSA keys are stored."),
            };
            if (key.Usage == KeyPurpose.Authentication)
            {
                request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                    [new Oid(Oids.ServerAuth), new Oid(Oids.ClientAuth)], critical: false));
            }
            else
            {
                request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.DigitalSignature, critical: true));
            }

            der = request.CreateSigningRequest();
        }

        var csr = new TokenCsrEntry
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Subject = subject.Name,
            Der = der,
            CreatedAt = Time.GetUtcNow(),
        };
        key.Csrs.Add(csr);
        Commit(next);
        return TokenResult<CsrInfo>.Ok(ToCsrInfo(key, csr));
    });

    /// <summary>Deletes a CSR (works logged out).</summary>
    public TokenResult DeleteCsr(string csrId) => Locked(() =>
    {
        var next = CloneFile();
        if (FindCsr(next, csrId) is not { } found)
        {
            return TokenResult.Fail(TokenErrors.CsrNotFound, $"the token has no CSR '{csrId}'");
        }

        found.Key.Csrs.Remove(found.Csr);
        Commit(next);
        return TokenResult.Ok;
    });

    /// <summary>
    /// Imports a certificate (PEM bundle with the leaf first and its issuing chain after, or one DER certificate):
    /// finds the key it certifies, checks the usage fits the key and, for a signing key, that the subject names
    /// the key's member under <see cref="CertificateSubjectProfile.Default"/>, and stores it active in state
    /// <see cref="CertificateState.Saved"/> (authentication) or <see cref="CertificateState.Registered"/> (signing).
    /// Works logged out.
    /// </summary>
    public TokenResult<CertificateInfo> ImportCertificate(ReadOnlySpan<byte> pemOrDer) =>
        ImportCertificate(pemOrDer, CertificateSubjectProfile.Default);

    /// <summary>
    /// Imports a certificate like <see cref="ImportCertificate(ReadOnlySpan{byte})"/>, reading a signing
    /// certificate's member with <paramref name="profile"/> (the issuing CA's profile from global configuration).
    /// Checks, in order: decodable (<see cref="TokenErrors.CertificateInvalid"/>), allowed algorithms and inside
    /// its validity (<see cref="TokenErrors.CertificateInvalid"/>), not already in the token
    /// (<see cref="TokenErrors.CertificateAlreadyExists"/>), certifies a key of the token
    /// (<see cref="TokenErrors.CertificateMatchesNoKey"/>), fits the key's usage
    /// (<see cref="TokenErrors.CertificateWrongUsage"/>), names the signing key's member
    /// (<see cref="TokenErrors.CertificateWrongMember"/>). A refused certificate changes nothing.
    /// </summary>
    public TokenResult<CertificateInfo> ImportCertificate(ReadOnlySpan<byte> pemOrDer, CertificateSubjectProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (pemOrDer.IsEmpty || pemOrDer.Length > MaxImportBytes)
        {
            return TokenResult<CertificateInfo>.Fail(TokenErrors.CertificateInvalid, $"a certificate import is 1 to {MaxImportBytes} bytes, not {pemOrDer.Length}");
        }

        var input = pemOrDer.ToArray();
        return Locked(() => Import(input, profile));
    }

    /// <summary>
    /// Moves a certificate to <paramref name="state"/> when the transition is allowed (README "Certificate
    /// states"); the same state is a successful no-op; anything else is <see cref="TokenErrors.InvalidState"/>.
    /// </summary>
    public TokenResult<CertificateInfo> SetState(string certificateId, CertificateState state) => Locked(() =>
    {
        var next = CloneFile();
        if (FindCertificate(next, certificateId) is not { } found)
        {
            return TokenResult<CertificateInfo>.Fail(TokenErrors.CertificateNotFound, $"the token has no certificate '{certificateId}'");
        }

        var current = found.Certificate.State;
        if (current == state)
        {
            return TokenResult<CertificateInfo>.Ok(ToCertificateInfo(found.Key, found.Certificate));
        }

        if (!IsAllowed(found.Key.Usage, current, state))
        {
            return TokenResult<CertificateInfo>.Fail(TokenErrors.InvalidState, $"a {(found.Key.Usage == KeyPurpose.Authentication ? "authentication" : "signing")} certificate cannot go from {current} to {state}");
        }

        found.Certificate.State = state;
        Commit(next);
        return TokenResult<CertificateInfo>.Ok(ToCertificateInfo(found.Key, found.Certificate));
    });

    /// <summary>Activates or deactivates a certificate (works logged out).</summary>
    public TokenResult<CertificateInfo> SetActive(string certificateId, bool active) => Locked(() =>
    {
        var next = CloneFile();
        if (FindCertificate(next, certificateId) is not { } found)
        {
            return TokenResult<CertificateInfo>.Fail(TokenErrors.CertificateNotFound, $"the token has no certificate '{certificateId}'");
        }

        if (found.Certificate.Active != active)
        {
            found.Certificate.Active = active;
            Commit(next);
        }

        return TokenResult<CertificateInfo>.Ok(ToCertificateInfo(found.Key, found.Certificate));
    });

    /// <summary>Removes a certificate from the token; refused while an authentication certificate is registered or in progress.</summary>
    public TokenResult DeleteCertificate(string certificateId) => Locked(() =>
    {
        var next = CloneFile();
        if (FindCertificate(next, certificateId) is not { } found)
        {
            return TokenResult.Fail(TokenErrors.CertificateNotFound, $"the token has no certificate '{certificateId}'");
        }

        if (IsInUse(found.Key, found.Certificate))
        {
            return TokenResult.Fail(TokenErrors.InUse, $"the authentication certificate is {found.Certificate.State}; unregister it first");
        }

        found.Key.Certificates.Remove(found.Certificate);
        Commit(next);
        return TokenResult.Ok;
    });

    /// <summary>
    /// The TLS identity: the active authentication certificate in the best state (registered, then
    /// registration in progress, then saved; the latest <c>NotBefore</c> first within a state) with its key;
    /// null when logged out or none. The caller owns it.
    /// </summary>
    public AuthenticationIdentity? GetAuthenticationIdentity()
    {
        lock (_gate)
        {
            if (_file is null || _dek is null)
            {
                return null;
            }

            var best = _file.Keys
                .Where(k => k.Usage == KeyPurpose.Authentication)
                .SelectMany(k => k.Certificates.Where(c => c.Active && AuthenticationRank(c.State) >= 0).Select(c => (Key: k, Certificate: c)))
                .Select(p => (p.Key, p.Certificate, Rank: AuthenticationRank(p.Certificate.State), NotBefore: NotBeforeOf(p.Certificate)))
                .OrderBy(p => p.Rank)
                .ThenByDescending(p => p.NotBefore)
                .FirstOrDefault();
            if (best.Key is null)
            {
                return null;
            }

            var (certificate, key, chain) = LoadWithKey(best.Key, best.Certificate);
            using (key)
            {
                return new AuthenticationIdentity(certificate, chain);
            }
        }
    }

    /// <summary>For each member, its newest (latest <c>NotBefore</c>) active registered signing certificate with its key; empty when logged out. The caller owns them.</summary>
    public IReadOnlyList<SigningIdentity> GetSigningIdentities()
    {
        lock (_gate)
        {
            if (_file is null || _dek is null)
            {
                return [];
            }

            var chosen = _file.Keys
                .Where(k => k.Usage == KeyPurpose.Signing && k.Member is not null)
                .SelectMany(k => k.Certificates.Where(c => c.Active && c.State == CertificateState.Registered).Select(c => (Key: k, Certificate: c)))
                .GroupBy(p => p.Key.Member!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.OrderByDescending(p => NotBeforeOf(p.Certificate)).First())
                .ToList();
            var identities = new List<SigningIdentity>(chosen.Count);
            try
            {
                foreach (var (entry, certificateEntry) in chosen)
                {
                    var (certificate, key, chain) = LoadWithKey(entry, certificateEntry);
                    identities.Add(new SigningIdentity(MemberId.Parse(entry.Member!), certificate, key, chain));
                }
            }
            catch
            {
                foreach (var identity in identities)
                {
                    identity.Dispose();
                }

                throw;
            }

            return identities;
        }
    }

    /// <summary>A detached CMS signature (RFC 5652, signed attributes, the chain included) over <paramref name="content"/> with the key of <paramref name="certificateId"/>; logged in only. Management requests (owner signature and proof of possession) and backups use it.</summary>
    public TokenResult<byte[]> SignCms(string certificateId, ReadOnlySpan<byte> content, DateTimeOffset signingTime)
    {
        var bytes = content.ToArray();
        lock (_gate)
        {
            if (RequireActive() is { } inactive)
            {
                return TokenResult<byte[]>.Fail(inactive.Code!, inactive.Message!);
            }

            if (FindCertificate(_file, certificateId) is not { } found)
            {
                return TokenResult<byte[]>.Fail(TokenErrors.CertificateNotFound, $"the token has no certificate '{certificateId}'");
            }

            using var key = LoadPrivateKey(found.Key);
            using var certificate = X509CertificateLoader.LoadCertificate(found.Certificate.Der);
            var chain = found.Certificate.Chain.Select(d => X509CertificateLoader.LoadCertificate(d)).ToList();
            try
            {
                return TokenResult<byte[]>.Ok(CmsDetachedSigner.Sign(bytes, certificate, key, signingTime, chain));
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

    /// <summary>
    /// Stores a small secret (at most 64 KiB, e.g. the internal TLS key) encrypted like a key, in
    /// <c>secret-{name}.bin</c>, replacing an earlier one; logged in only. Names are 1 to 64 of
    /// <c>a-z 0-9 . _ -</c>, starting with a letter or digit.
    /// </summary>
    public TokenResult StoreSecret(string name, ReadOnlySpan<byte> secret)
    {
        if (CheckSecretName(name) is { } problem)
        {
            return TokenResult.Fail(TokenErrors.InvalidRequest, problem);
        }

        if (secret.Length > MaxSecretBytes)
        {
            return TokenResult.Fail(TokenErrors.InvalidRequest, $"a secret is at most {MaxSecretBytes} bytes");
        }

        var copy = TokenCipher.NewSecretBuffer(secret.Length);
        secret.CopyTo(copy);
        try
        {
            return Locked(() =>
            {
                if (RequireActive() is { } inactive)
                {
                    return inactive;
                }

                AtomicFile.Write(SecretPath(name), TokenCipher.SealFile(_dek!, copy, TokenCipher.SecretAad(name)), AtomicFile.OwnerOnly);
                _version++;
                return TokenResult.Ok;
            });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    /// <summary>Reads a secret stored with <see cref="StoreSecret"/>; logged in only; <see cref="TokenErrors.KeyNotFound"/> when there is none. The caller should zero the result after use.</summary>
    /// <exception cref="CryptographicException">The file does not decrypt (altered, or from another token).</exception>
    public TokenResult<byte[]> LoadSecret(string name)
    {
        if (CheckSecretName(name) is { } problem)
        {
            return TokenResult<byte[]>.Fail(TokenErrors.InvalidRequest, problem);
        }

        lock (_gate)
        {
            if (RequireActive() is { } inactive)
            {
                return TokenResult<byte[]>.Fail(inactive.Code!, inactive.Message!);
            }

            var path = SecretPath(name);
            if (!File.Exists(path))
            {
                return TokenResult<byte[]>.Fail(TokenErrors.KeyNotFound, $"the token has no secret '{name}'");
            }

            var plaintext = TokenCipher.OpenFile(_dek!, ReadBounded(path, MaxSecretBytes + 64), TokenCipher.SecretAad(name))
                ?? throw new CryptographicException($"{path} does not decrypt with this token's key: it was altered or comes from another token.");
            return TokenResult<byte[]>.Ok(plaintext);
        }
    }

    /// <summary>Re-reads the directory (after a restore); logs out.</summary>
    /// <exception cref="InvalidDataException"><c>token.json</c> is not a token file (the token stays logged out with what it had).</exception>
    public void Reload() => Locked(() =>
    {
        ForgetDek();
        _version++;
        _file = ReadTokenFile();
        return TokenResult.Ok;
    });

    /// <summary>Logs out and stops raising <see cref="Changed"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            ForgetDek();
            _disposed = true;
        }

        Changed = null;
    }

    private static int AuthenticationRank(CertificateState state) => state switch
    {
        CertificateState.Registered => 0,
        CertificateState.RegistrationInProgress => 1,
        CertificateState.Saved => 2,
        _ => -1,
    };

    /// <summary>The contract's transition table (ISSUE6-CONTRACTS.md, "Signer token").</summary>
    private static bool IsAllowed(KeyPurpose usage, CertificateState from, CertificateState to)
    {
        if (usage == KeyPurpose.Signing)
        {
            return from == CertificateState.Registered && to == CertificateState.Deleted;
        }

        return (from, to) switch
        {
            (CertificateState.Saved, CertificateState.RegistrationInProgress) => true,
            (CertificateState.RegistrationInProgress, CertificateState.Registered or CertificateState.Saved or CertificateState.GlobalError) => true,
            (CertificateState.Registered, CertificateState.DeletionInProgress or CertificateState.GlobalError) => true,
            (CertificateState.DeletionInProgress, CertificateState.Deleted or CertificateState.Registered) => true,
            (CertificateState.GlobalError, CertificateState.Registered or CertificateState.DeletionInProgress or CertificateState.Deleted) => true,
            _ => false,
        };
    }

    private static bool IsInUse(TokenKeyEntry key, TokenCertificateEntry certificate) =>
        key.Usage == KeyPurpose.Authentication
        && certificate.State is CertificateState.RegistrationInProgress or CertificateState.Registered or CertificateState.DeletionInProgress;

    private static string CertificateId(TokenCertificateEntry certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.Der));

    private static DateTimeOffset NotBeforeOf(TokenCertificateEntry certificate)
    {
        using var x = X509CertificateLoader.LoadCertificate(certificate.Der);
        return new DateTimeOffset(x.NotBefore.ToUniversalTime(), TimeSpan.Zero);
    }

    private static TokenKeyEntry? FindKey(TokenFile? file, string keyId) =>
        file?.Keys.FirstOrDefault(k => string.Equals(k.Id, keyId, StringComparison.Ordinal));

    private static (TokenKeyEntry Key, TokenCertificateEntry Certificate)? FindCertificate(TokenFile? file, string certificateId)
    {
        if (file is null || certificateId is null)
        {
            return null;
        }

        foreach (var key in file.Keys)
        {
            foreach (var certificate in key.Certificates)
            {
                if (string.Equals(CertificateId(certificate), certificateId, StringComparison.OrdinalIgnoreCase))
                {
                    return (key, certificate);
                }
            }
        }

        return null;
    }

    private static (TokenKeyEntry Key, TokenCsrEntry Csr)? FindCsr(TokenFile? file, string csrId)
    {
        if (file is null)
        {
            return null;
        }

        foreach (var key in file.Keys)
        {
            if (key.Csrs.FirstOrDefault(c => string.Equals(c.Id, csrId, StringComparison.Ordinal)) is { } csr)
            {
                return (key, csr);
            }
        }

        return null;
    }

    private static KeyInfo ToKeyInfo(TokenKeyEntry key) => new()
    {
        Id = key.Id,
        FriendlyName = key.FriendlyName,
        Usage = key.Usage,
        Algorithm = key.Algorithm,
        Member = key.Member is null ? null : MemberId.Parse(key.Member),
        PublicKeySha256 = Convert.ToHexStringLower(SHA256.HashData(key.PublicKey)),
        CreatedAt = key.CreatedAt,
        Certificates = [.. key.Certificates.Select(c => ToCertificateInfo(key, c))],
        Csrs = [.. key.Csrs.Select(c => ToCsrInfo(key, c))],
    };

    private static CertificateInfo ToCertificateInfo(TokenKeyEntry key, TokenCertificateEntry certificate)
    {
        using var x = X509CertificateLoader.LoadCertificate(certificate.Der);
        return new CertificateInfo
        {
            Id = CertificateId(certificate),
            KeyId = key.Id,
            Usage = key.Usage,
            Member = key.Member is null ? null : MemberId.Parse(key.Member),
            State = certificate.State,
            Active = certificate.Active,
            Subject = x.Subject,
            Issuer = x.Issuer,
            SerialNumber = x.SerialNumber,
            NotBefore = new DateTimeOffset(x.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = new DateTimeOffset(x.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            ImportedAt = certificate.ImportedAt,
            Der = certificate.Der.ToArray(),
            Chain = [.. certificate.Chain.Select(d => (ReadOnlyMemory<byte>)d.ToArray())],
        };
    }

    private static CsrInfo ToCsrInfo(TokenKeyEntry key, TokenCsrEntry csr) => new()
    {
        Id = csr.Id,
        KeyId = key.Id,
        Usage = key.Usage,
        Member = key.Member is null ? null : MemberId.Parse(key.Member),
        Subject = csr.Subject,
        CreatedAt = csr.CreatedAt,
        Der = csr.Der.ToArray(),
    };

    private static string? CheckFriendlyName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxFriendlyNameLength)
        {
            return $"a friendly name has 1 to {MaxFriendlyNameLength} characters and is not blank";
        }

        return name.Any(char.IsControl) ? "a friendly name has no control characters" : null;
    }

    private static string? CheckSecretName(string? name)
    {
        if (name is not { Length: >= 1 and <= 64 } || !char.IsAsciiLetterOrDigit(name[0])
            || !name.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c) || c is '.' or '_' or '-'))
        {
            return "a secret name is 1 to 64 of a-z 0-9 . _ - and starts with a letter or digit";
        }

        return null;
    }

    private static AsymmetricAlgorithm CreateKey(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.Rsa2048 => RSA.Create(2048),
        KeyAlgorithm.Rsa3072 => RSA.Create(3072),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };

    private static byte[] ReadBounded(string path, int max)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > max)
        {
            throw new InvalidDataException($"{path} is {stream.Length} bytes, more than the {max} such a token file may have.");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static IReadOnlyList<X509Certificate2>? DecodeCertificates(byte[] input, out string? problem)
    {
        problem = null;
        var ders = new List<byte[]>();
        var start = 0;
        while (start < input.Length && input[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start < input.Length && input[start] == (byte)'-')
        {
            var text = Encoding.ASCII.GetString(input).AsSpan();
            while (PemEncoding.TryFind(text, out var fields))
            {
                if (!text[fields.Label].SequenceEqual("CERTIFICATE"))
                {
                    problem = $"the PEM holds a '{text[fields.Label]}' block; only CERTIFICATE blocks are imported";
                    return null;
                }

                if (ders.Count == MaxImportCertificates)
                {
                    problem = $"the PEM holds more than {MaxImportCertificates} certificates";
                    return null;
                }

                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(text[fields.Base64Data], der, out var written))
                {
                    problem = "a PEM block is not valid base64";
                    return null;
                }

                ders.Add(der[..written]);
                text = text[fields.Location.End..];
            }

            if (ders.Count == 0)
            {
                problem = "no PEM certificate found";
                return null;
            }
        }
        else
        {
            ders.Add(input);
        }

        var certificates = new List<X509Certificate2>(ders.Count);
        try
        {
            foreach (var der in ders)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }

            return certificates;
        }
        catch (CryptographicException ex)
        {
            foreach (var c in certificates)
            {
                c.Dispose();
            }

            problem = $"not a certificate: {ex.Message}";
            return null;
        }
    }

    private TokenResult<CertificateInfo> Import(byte[] input, CertificateSubjectProfile profile)
    {
        static TokenResult<CertificateInfo> Fail(string code, string message) => TokenResult<CertificateInfo>.Fail(code, message);

        if (_file is null)
        {
            return Fail(TokenErrors.NotInitialised, "the token has no PIN yet");
        }

        var certificates = DecodeCertificates(input, out var problem);
        if (certificates is null)
        {
            return Fail(TokenErrors.CertificateInvalid, problem!);
        }

        try
        {
            var leaf = certificates[0];
            var where = $"certificate '{leaf.Subject}'";
            foreach (var check in new[]
            {
                CryptoPolicy.CheckPublicKey(leaf, where),
                CryptoPolicy.CheckSignatureAlgorithm(leaf.SignatureAlgorithm.Value, where),
            })
            {
                if (!check.IsValid)
                {
                    return Fail(TokenErrors.CertificateInvalid, check.Message!);
                }
            }

            var now = Time.GetUtcNow();
            var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (now < notBefore || now > notAfter)
            {
                return Fail(TokenErrors.CertificateInvalid, $"{where} is valid from {notBefore:O} to {notAfter:O}, not now ({now:O})");
            }

            var next = CloneFile();
            var id = Convert.ToHexStringLower(SHA256.HashData(leaf.RawDataMemory.Span));
            if (FindCertificate(next, id) is not null)
            {
                return Fail(TokenErrors.CertificateAlreadyExists, $"{where} ({id}) is already in the token");
            }

            var spki = leaf.PublicKey.ExportSubjectPublicKeyInfo();
            if (next.Keys.FirstOrDefault(k => k.PublicKey.AsSpan().SequenceEqual(spki)) is not { } key)
            {
                return Fail(TokenErrors.CertificateMatchesNoKey, $"{where} certifies no key of this token");
            }

            var purpose = key.Usage == KeyPurpose.Authentication ? CertificatePurpose.Authentication : CertificatePurpose.Signing;
            var usage = CertificateValidator.CheckPurpose(leaf, purpose);
            if (!usage.IsValid)
            {
                return Fail(TokenErrors.CertificateWrongUsage, $"the key {key.Id} is a{(purpose == CertificatePurpose.Authentication ? "n authentication" : " signing")} key, but {usage.Message}");
            }

            if (key.Usage == KeyPurpose.Signing)
            {
                var member = MemberId.Parse(key.Member!);
                var named = profile.TryGetMember(leaf.SubjectName, member.Instance);
                if (!named.Success || named.Value != member)
                {
                    return Fail(TokenErrors.CertificateWrongMember, $"{where} does not name {member}, the member of signing key {key.Id}{(named.Success ? $" (it names {named.Value})" : $": {named.Message}")}");
                }
            }

            var entry = new TokenCertificateEntry
            {
                Der = leaf.RawData,
                Chain = [.. certificates.Skip(1).Select(c => c.RawData)],

                // As X-Road does on import: both active; an authentication certificate still has to be registered.
                State = key.Usage == KeyPurpose.Authentication ? CertificateState.Saved : CertificateState.Registered,
                Active = true,
                ImportedAt = now,
            };
            key.Certificates.Add(entry);
            Commit(next);
            return TokenResult<CertificateInfo>.Ok(ToCertificateInfo(key, entry));
        }
        finally
        {
            foreach (var c in certificates)
            {
                c.Dispose();
            }
        }
    }

    private T Locked<T>(Func<T> body)
    {
        T result;
        bool changed;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var before = _version;
            result = body();
            changed = _version != before;
        }

        if (changed)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }

        return result;
    }

    private TokenStatus StatusLocked(DateTimeOffset now) =>
        _file is null ? TokenStatus.Uninitialised
        : _file.LockedUntil is { } until && until > now ? TokenStatus.LockedOut
        : _dek is not null ? TokenStatus.LoggedIn
        : TokenStatus.LoggedOut;

    /// <summary>Null when logged in; otherwise why the keys cannot be used.</summary>
    private TokenResult? RequireActive() => _file is null
        ? TokenResult.Fail(TokenErrors.NotInitialised, "the token has no PIN yet")
        : _dek is null
            ? TokenResult.Fail(TokenErrors.NotActive, "the token is logged out; log in with the PIN first")
            : null;

    /// <summary>
    /// Checks a PIN against the wrapped DEK and keeps the lockout books (persisted before answering).
    /// Returns the DEK (pinned; the caller owns and zeroes it) or null with the failure.
    /// </summary>
    private byte[]? VerifyPin(string pin, out TokenResult? failure)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var now = Time.GetUtcNow();
        if (_file is null)
        {
            failure = TokenResult.Fail(TokenErrors.NotInitialised, "the token has no PIN yet");
            return null;
        }

        if (_file.LockedUntil is { } until && until > now)
        {
            failure = TokenResult.Fail(TokenErrors.LockedOut, $"too many wrong PINs: the token refuses every PIN until {until:O}");
            return null;
        }

        var kek = TokenCipher.DeriveKek(pin, _file.Kdf.Salt, _file.Kdf.Iterations);
        byte[]? dek;
        try
        {
            dek = TokenCipher.Open(kek, _file.Dek.Nonce, _file.Dek.Ciphertext, _file.Dek.Tag, TokenCipher.DekAad);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }

        var next = CloneFile();
        if (next.LockedUntil is not null)
        {
            // The lockout has ended: a fresh series of attempts.
            next.LockedUntil = null;
            next.FailedAttempts = 0;
        }

        if (dek is not null)
        {
            failure = null;
            if (next.FailedAttempts != 0 || _file.LockedUntil is not null)
            {
                next.FailedAttempts = 0;
                Commit(next);
            }

            return dek;
        }

        next.FailedAttempts++;
        var max = Options.Policy.MaxFailedAttempts;
        if (next.FailedAttempts >= max)
        {
            next.LockedUntil = now + Options.Policy.LockoutDuration;
            Commit(next);
            ForgetDek();
            failure = TokenResult.Fail(TokenErrors.LockedOut, $"wrong PIN, {max} in a row: the token refuses every PIN until {next.LockedUntil:O}");
            return null;
        }

        Commit(next);
        failure = TokenResult.Fail(TokenErrors.WrongPin, $"wrong PIN ({max - next.FailedAttempts} more wrong PINs lock the token)");
        return null;
    }

    private void WrapDek(TokenFile file, string pin, byte[] dek)
    {
        var salt = RandomNumberGenerator.GetBytes(TokenCipher.SaltBytes);
        var kek = TokenCipher.DeriveKek(pin, salt, Options.Pbkdf2Iterations);
        try
        {
            var (nonce, ciphertext, tag) = TokenCipher.Seal(kek, dek, TokenCipher.DekAad);
            file.Kdf = new TokenKdf { Salt = salt, Iterations = Options.Pbkdf2Iterations };
            file.Dek = new TokenSealed { Nonce = nonce, Ciphertext = ciphertext, Tag = tag };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private void SetDek(byte[] dek)
    {
        if (!ReferenceEquals(_dek, dek))
        {
            ForgetDek();
        }

        _dek = dek;
    }

    private void ForgetDek()
    {
        if (_dek is not null)
        {
            CryptographicOperations.ZeroMemory(_dek);
            _dek = null;
        }
    }

    /// <summary>A deep copy to change; <see cref="Commit"/> makes it current once it is on disk, so a failed write changes nothing in memory.</summary>
    private TokenFile CloneFile() =>
        TokenFile.Parse(_file?.ToUtf8() ?? throw new InvalidOperationException("The token is not initialised."), TokenFilePath);

    private void Commit(TokenFile next)
    {
        WriteTokenFile(next);
        _file = next;
        _version++;
    }

    private void WriteTokenFile(TokenFile file) => AtomicFile.Write(TokenFilePath, file.ToUtf8(), AtomicFile.OwnerOnly);

    private TokenFile? ReadTokenFile()
    {
        var path = TokenFilePath;
        return File.Exists(path) ? TokenFile.Parse(ReadBounded(path, MaxTokenFileBytes), path) : null;
    }

    private string KeyPath(string keyId) => Path.Combine(Directory, keyId + KeyFileSuffix);

    private string SecretPath(string name) => Path.Combine(Directory, SecretPrefix + name + SecretSuffix);

    /// <summary>Decrypts a key (logged in only). The caller owns the result.</summary>
    /// <exception cref="CryptographicException">The key file is missing, altered, or not this key.</exception>
    private AsymmetricAlgorithm LoadPrivateKey(TokenKeyEntry entry)
    {
        var path = KeyPath(entry.Id);
        if (!File.Exists(path))
        {
            throw new CryptographicException($"The key file {path} of key {entry.Id} is missing.");
        }

        var plaintext = TokenCipher.OpenFile(_dek!, ReadBounded(path, MaxKeyFileBytes), TokenCipher.KeyAad(entry.Id))
            ?? throw new CryptographicException($"{path} does not decrypt with this token's key: it was altered or comes from another token.");
        AsymmetricAlgorithm key = entry.Algorithm == KeyAlgorithm.EcdsaP256 ? ECDsa.Create() : RSA.Create();
        try
        {
            key.ImportPkcs8PrivateKey(plaintext, out _);
            if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(entry.PublicKey))
            {
                throw new CryptographicException($"{path} holds another key than the one token.json lists for {entry.Id}.");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private (X509Certificate2 Certificate, AsymmetricAlgorithm Key, IReadOnlyList<X509Certificate2> Chain) LoadWithKey(TokenKeyEntry entry, TokenCertificateEntry certificateEntry)
    {
        var key = LoadPrivateKey(entry);
        try
        {
            using var leaf = X509CertificateLoader.LoadCertificate(certificateEntry.Der);

            // On Linux the copy shares the OpenSSL key handle (see the README's Identities section).
            var withKey = key switch
            {
                ECDsa ec => leaf.CopyWithPrivateKey(ec),
                RSA rsa => leaf.CopyWithPrivateKey(rsa),
                _ => throw new InvalidOperationException("Only ECDSA and RSA keys are stored."),
            };
            return (withKey, key, [.. certificateEntry.Chain.Select(d => X509CertificateLoader.LoadCertificate(d))]);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}

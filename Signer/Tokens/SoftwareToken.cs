using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Tokens;

/// <summary>
/// The software token (id <c>0</c>): keys in files encrypted under a key derived from the PIN, their
/// certificates and CSRs, and the certificates' registration states, in one directory. See
/// ISSUE6-CONTRACTS.md for the file format. Thread-safe. <see cref="Changed"/> is raised after every change.
/// </summary>
public sealed class SoftwareToken : IDisposable
{
    /// <summary>The software token's id.</summary>
    public const string SoftwareTokenId = "0";

    /// <summary>Opens the token in <see cref="SoftwareTokenOptions.Directory"/> (creating the directory, mode 0700). Logged out.</summary>
    public SoftwareToken(SoftwareTokenOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Time = time ?? TimeProvider.System;
        throw new NotImplementedException("issue #6: Signer helper");
    }

    /// <summary>Raised after any change of status, keys, certificates, states or activation (not under a lock).</summary>
    public event EventHandler? Changed;

    /// <summary>The options it was opened with.</summary>
    public SoftwareTokenOptions Options { get; }

    /// <summary>The token's directory (absolute).</summary>
    public string Directory => throw new NotImplementedException();

    /// <summary>The current status.</summary>
    public TokenStatus Status => throw new NotImplementedException();

    private TimeProvider Time { get; }

    /// <summary>The token with its keys, certificates and CSRs (works logged out).</summary>
    public TokenInfo Describe() => throw new NotImplementedException();

    /// <summary>Sets the first PIN (policy-checked) and logs in.</summary>
    public TokenResult Initialise(string pin) => throw new NotImplementedException();

    /// <summary>Logs in: checks the PIN, counts failures, locks out after too many.</summary>
    public TokenResult Login(string pin) => throw new NotImplementedException();

    /// <summary>Logs out: forgets the key-encryption key and every decrypted key.</summary>
    public void Logout() => throw new NotImplementedException();

    /// <summary>Changes the PIN (needs the old one; counts as a login attempt).</summary>
    public TokenResult ChangePin(string oldPin, string newPin) => throw new NotImplementedException();

    /// <summary>Generates a key (logged in only). A signing key needs its member; an authentication key has none.</summary>
    public TokenResult<KeyInfo> GenerateKey(KeyPurpose usage, string friendlyName, MemberId? member, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256) => throw new NotImplementedException();

    /// <summary>Renames a key.</summary>
    public TokenResult<KeyInfo> RenameKey(string keyId, string friendlyName) => throw new NotImplementedException();

    /// <summary>Deletes a key with its certificates and CSRs; refused (<see cref="TokenErrors.InUse"/>) while one of its authentication certificates is registered or in progress.</summary>
    public TokenResult DeleteKey(string keyId) => throw new NotImplementedException();

    /// <summary>Makes a PKCS#10 request with the key (logged in only), SHA-256, for <paramref name="subject"/>.</summary>
    public TokenResult<CsrInfo> CreateCsr(string keyId, X500DistinguishedName subject) => throw new NotImplementedException();

    /// <summary>Deletes a CSR.</summary>
    public TokenResult DeleteCsr(string csrId) => throw new NotImplementedException();

    /// <summary>
    /// Imports a certificate (PEM bundle with the leaf first and its issuing chain after, or one DER certificate):
    /// finds the key it certifies, checks the usage fits the key, stores it inactive in state
    /// <see cref="CertificateState.Saved"/> (authentication) or <see cref="CertificateState.Registered"/> (signing).
    /// Works logged out.
    /// </summary>
    public TokenResult<CertificateInfo> ImportCertificate(ReadOnlySpan<byte> pemOrDer) => throw new NotImplementedException();

    /// <summary>Moves a certificate to <paramref name="state"/> when the transition is allowed (see the contract's table).</summary>
    public TokenResult<CertificateInfo> SetState(string certificateId, CertificateState state) => throw new NotImplementedException();

    /// <summary>Activates or deactivates a certificate.</summary>
    public TokenResult<CertificateInfo> SetActive(string certificateId, bool active) => throw new NotImplementedException();

    /// <summary>Removes a certificate from the token; refused while an authentication certificate is registered or in progress.</summary>
    public TokenResult DeleteCertificate(string certificateId) => throw new NotImplementedException();

    /// <summary>The TLS identity: the active authentication certificate in the best state (registered, then in progress, then saved) with its key; null when logged out or none. The caller owns it.</summary>
    public AuthenticationIdentity? GetAuthenticationIdentity() => throw new NotImplementedException();

    /// <summary>For each member, its newest active registered signing certificate with its key; empty when logged out. The caller owns them.</summary>
    public IReadOnlyList<SigningIdentity> GetSigningIdentities() => throw new NotImplementedException();

    /// <summary>A detached CMS signature (RFC 5652, signed attributes, the chain included) over <paramref name="content"/> with the key of <paramref name="certificateId"/>; logged in only. Management requests (owner signature and proof of possession) and backups use it.</summary>
    public TokenResult<byte[]> SignCms(string certificateId, ReadOnlySpan<byte> content, DateTimeOffset signingTime) => throw new NotImplementedException();

    /// <summary>Stores a small secret (e.g. the internal TLS key) encrypted like a key; logged in only.</summary>
    public TokenResult StoreSecret(string name, ReadOnlySpan<byte> secret) => throw new NotImplementedException();

    /// <summary>Reads a secret stored with <see cref="StoreSecret"/>; logged in only; <see cref="TokenErrors.KeyNotFound"/> when there is none.</summary>
    public TokenResult<byte[]> LoadSecret(string name) => throw new NotImplementedException();

    /// <summary>Re-reads the directory (after a restore); logs out.</summary>
    public void Reload() => throw new NotImplementedException();

    /// <inheritdoc />
    public void Dispose() => Changed = null;

    private void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);
}

using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Tokens;

/// <summary>One key in <c>token.json</c>: its metadata and public key; the private key is in <c>{id}.key</c>.</summary>
internal sealed class TokenKeyEntry
{
    public required string Id { get; set; }

    public required string FriendlyName { get; set; }

    public required KeyPurpose Usage { get; set; }

    public required KeyAlgorithm Algorithm { get; set; }

    /// <summary>The member of a signing key, as <c>INSTANCE/CLASS/CODE</c>.</summary>
    public string? Member { get; set; }

    /// <summary>The SubjectPublicKeyInfo DER.</summary>
    public required byte[] PublicKey { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public List<TokenCertificateEntry> Certificates { get; set; } = [];

    public List<TokenCsrEntry> Csrs { get; set; } = [];

    /// <summary>32 lowercase hex characters.</summary>
    public static bool IsValidId(string? id) => id is { Length: 32 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

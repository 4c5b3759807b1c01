using System.Collections.Immutable;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Tokens;

/// <summary>A token and its keys as the admin API shows them (no secret in it).</summary>
public sealed record TokenInfo
{
    /// <summary>The token id; the software token is <c>0</c>.</summary>
    public required string Id { get; init; }

    /// <summary>A name for people, e.g. <c>softToken-0</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Where the token stands.</summary>
    public required TokenStatus Status { get; init; }

    /// <summary>Consecutive wrong PINs since the last successful login.</summary>
    public int FailedAttempts { get; init; }

    /// <summary>Wrong PINs that lock the token.</summary>
    public int MaxFailedAttempts { get; init; }

    /// <summary>When a lockout ends; null when not locked out.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>The keys, in creation order.</summary>
    public ImmutableArray<KeyInfo> Keys { get; init; } = [];
}

/// <summary>One key of a token.</summary>
public sealed record KeyInfo
{
    /// <summary>The key id: 32 lowercase hex characters, random.</summary>
    public required string Id { get; init; }

    /// <summary>A label for people (1 to 255 printable characters).</summary>
    public required string FriendlyName { get; init; }

    /// <summary>Authentication (TLS) or signing.</summary>
    public required KeyPurpose Usage { get; init; }

    /// <summary>The algorithm.</summary>
    public required KeyAlgorithm Algorithm { get; init; }

    /// <summary>The member a signing key belongs to; null for an authentication key.</summary>
    public MemberId? Member { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the public key's SubjectPublicKeyInfo DER.</summary>
    public required string PublicKeySha256 { get; init; }

    /// <summary>When the key was generated.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Its certificates, in import order.</summary>
    public ImmutableArray<CertificateInfo> Certificates { get; init; } = [];

    /// <summary>Its certificate signing requests, in creation order.</summary>
    public ImmutableArray<CsrInfo> Csrs { get; init; } = [];
}

/// <summary>One certificate of a token key.</summary>
public sealed record CertificateInfo
{
    /// <summary>SHA-256 (lowercase hex) of the certificate DER; the certificate's id everywhere.</summary>
    public required string Id { get; init; }

    /// <summary>The key it certifies.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's usage.</summary>
    public required KeyPurpose Usage { get; init; }

    /// <summary>The member of a signing certificate; null for authentication.</summary>
    public MemberId? Member { get; init; }

    /// <summary>Registration state.</summary>
    public required CertificateState State { get; init; }

    /// <summary>Only active certificates are used for TLS and signing.</summary>
    public required bool Active { get; init; }

    /// <summary>The subject DN as text.</summary>
    public required string Subject { get; init; }

    /// <summary>The issuer DN as text.</summary>
    public required string Issuer { get; init; }

    /// <summary>The serial number, uppercase hex.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>Start of validity.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>End of validity.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>When it was imported.</summary>
    public required DateTimeOffset ImportedAt { get; init; }

    /// <summary>The certificate DER.</summary>
    public required ReadOnlyMemory<byte> Der { get; init; }

    /// <summary>The issuing chain given at import (issuer first), DER each.</summary>
    public ImmutableArray<ReadOnlyMemory<byte>> Chain { get; init; } = [];
}

/// <summary>A PKCS#10 certificate signing request made with a token key.</summary>
public sealed record CsrInfo
{
    /// <summary>The CSR id: 32 lowercase hex characters, random.</summary>
    public required string Id { get; init; }

    /// <summary>The key that signed it.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's usage.</summary>
    public required KeyPurpose Usage { get; init; }

    /// <summary>The member of a signing key; null for authentication.</summary>
    public MemberId? Member { get; init; }

    /// <summary>The requested subject DN as text.</summary>
    public required string Subject { get; init; }

    /// <summary>When it was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The PKCS#10 DER.</summary>
    public required ReadOnlyMemory<byte> Der { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Tokens;

/// <summary>
/// <c>token.json</c>: everything about the token except the key material (README "Token files").
/// Mutable, and only ever touched under the token's lock.
/// </summary>
internal sealed class TokenFile
{
    /// <summary>The only format this code reads and writes.</summary>
    public const string CurrentFormat = "xgw-token/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Always <see cref="CurrentFormat"/>.</summary>
    public string Format { get; set; } = CurrentFormat;

    /// <summary>How the KEK is derived from the PIN.</summary>
    public required TokenKdf Kdf { get; set; }

    /// <summary>The DEK, wrapped under the KEK.</summary>
    public required TokenSealed Dek { get; set; }

    /// <summary>Consecutive wrong PINs.</summary>
    public int FailedAttempts { get; set; }

    /// <summary>End of the current lockout, if any.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>The keys, in creation order.</summary>
    public List<TokenKeyEntry> Keys { get; set; } = [];

    public static TokenFile Parse(byte[] utf8, string where)
    {
        TokenFile? file;
        try
        {
            file = JsonSerializer.Deserialize<TokenFile>(utf8, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{where} is not a token file: {ex.Message}", ex);
        }

        if (file is null || file.Format != CurrentFormat)
        {
            throw new InvalidDataException($"{where} is not a '{CurrentFormat}' token file.");
        }

        file.Check(where);
        return file;
    }

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    private void Check(string where)
    {
        if (Kdf is null || Kdf.Algorithm != TokenKdf.Pbkdf2Sha256 || Kdf.Salt is not { Length: TokenCipher.SaltBytes }
            || Kdf.Iterations is < TokenCipher.MinIterations or > TokenCipher.MaxIterations)
        {
            throw new InvalidDataException($"{where}: the key derivation is missing or not PBKDF2-HMAC-SHA256 with a 16-byte salt and 1,000 to 10,000,000 iterations.");
        }

        if (Dek is null || Dek.Nonce is not { Length: TokenCipher.NonceBytes } || Dek.Tag is not { Length: TokenCipher.TagBytes }
            || Dek.Ciphertext is not { Length: TokenCipher.KeyBytes })
        {
            throw new InvalidDataException($"{where}: the wrapped data-encryption key is missing or malformed.");
        }

        if (FailedAttempts < 0 || Keys is null)
        {
            throw new InvalidDataException($"{where}: the lockout counter or the key list is malformed.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            // Key ids name files: only the form GenerateKey makes is accepted.
            if (key is null || !TokenKeyEntry.IsValidId(key.Id) || !ids.Add(key.Id) || key.PublicKey is null
                || key.Certificates is null || key.Csrs is null || key.FriendlyName is null
                || (key.Usage == KeyPurpose.Signing) != (key.Member is not null))
            {
                throw new InvalidDataException($"{where}: a key entry is malformed or duplicated.");
            }

            if (key.Certificates.Any(c => c?.Der is null || c.Chain is null) || key.Csrs.Any(c => c?.Der is null || !TokenKeyEntry.IsValidId(c.Id)))
            {
                throw new InvalidDataException($"{where}: a certificate or CSR entry of key {key.Id} is malformed.");
            }
        }
    }
}

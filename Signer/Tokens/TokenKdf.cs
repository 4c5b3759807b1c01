namespace ExchangeGateway.Signer.Tokens;

/// <summary>The PIN's key derivation in <c>token.json</c>.</summary>
internal sealed class TokenKdf
{
    /// <summary>The only algorithm.</summary>
    public const string Pbkdf2Sha256 = "pbkdf2-hmac-sha256";

    public string Algorithm { get; set; } = Pbkdf2Sha256;

    public required byte[] Salt { get; set; }

    public required int Iterations { get; set; }
}

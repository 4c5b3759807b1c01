namespace ExchangeGateway.Signer.Tokens;

/// <summary>Where a software token lives and how it protects its keys.</summary>
public sealed record SoftwareTokenOptions
{
    /// <summary>The token's directory (created with mode 0700): <c>token.json</c> and one encrypted file per key.</summary>
    public required string Directory { get; init; }

    /// <summary>The PIN policy and lockout.</summary>
    public PinPolicy Policy { get; init; } = new();

    /// <summary>PBKDF2-HMAC-SHA256 iterations for a token initialised with these options (recorded in the token; default 600,000).</summary>
    public int Pbkdf2Iterations { get; init; } = 600_000;
}

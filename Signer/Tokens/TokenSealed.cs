namespace ExchangeGateway.Signer.Tokens;

/// <summary>An AES-256-GCM ciphertext in <c>token.json</c> (the wrapped DEK).</summary>
internal sealed class TokenSealed
{
    public required byte[] Nonce { get; set; }

    public required byte[] Ciphertext { get; set; }

    public required byte[] Tag { get; set; }
}

namespace ExchangeGateway.Signer.Tokens;

/// <summary>One CSR of a key in <c>token.json</c>.</summary>
internal sealed class TokenCsrEntry
{
    public required string Id { get; set; }

    public required string Subject { get; set; }

    public required byte[] Der { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }
}

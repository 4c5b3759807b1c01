namespace ExchangeGateway.Signer.Tokens;

/// <summary>One certificate of a key in <c>token.json</c>.</summary>
internal sealed class TokenCertificateEntry
{
    public required byte[] Der { get; set; }

    /// <summary>The issuing chain given at import, issuer first.</summary>
    public List<byte[]> Chain { get; set; } = [];

    public required CertificateState State { get; set; }

    public required bool Active { get; set; }

    public required DateTimeOffset ImportedAt { get; set; }
}

namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>A witness statement's canonical bytes and the Central Server's detached CMS signature over them.</summary>
/// <param name="Statement">MessageLog's <c>WitnessStatement.Encode</c> bytes.</param>
/// <param name="Signature">Detached CMS by the configuration-signing key that was active when it was made.</param>
internal sealed record SignedStatement(byte[] Statement, byte[] Signature)
{
    /// <summary>When the statement says the checkpoint was accepted; set on a new statement, for storing it.</summary>
    public DateTimeOffset? WitnessedAt { get; init; }

    /// <summary>The JSON answer of the witness endpoints: <c>{"statement": base64, "signature": base64}</c>.</summary>
    public object ToJson() => new { statement = Convert.ToBase64String(Statement), signature = Convert.ToBase64String(Signature) };
}

namespace ExchangeGateway.SecurityServer.Evidence;

/// <summary>
/// The outcomes of a witnessing pass that are not the Central Server's own refusal codes (those, e.g.
/// <c>witness.inconsistent</c>, are passed through as the Central Server sent them). Stable: logs and the
/// <c>code</c> label of <c>xgw_witness_failures_total</c> carry them.
/// </summary>
public static class WitnessingCodes
{
    /// <summary>The Central Server could not be reached, timed out, or answered something that is not a witness answer.</summary>
    public const string Unreachable = "witness.unreachable";

    /// <summary>The Central Server's statement does not verify with the configuration anchor, or says something else than was submitted.</summary>
    public const string InvalidStatement = "witness.invalid_statement";

    /// <summary>
    /// The alarm: the checkpoint the Central Server last witnessed for this server is not in this log (no
    /// checkpoint of that size, another root, or no consistency proof from it), so this log is not the history
    /// that was shown. The checkpoint is still submitted, so that the Central Server records the refusal.
    /// </summary>
    public const string HistoryMismatch = "witness.history_mismatch";
}

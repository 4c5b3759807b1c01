namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>What <see cref="LogReconciliation"/> found wrong between two servers' logs.</summary>
public enum LogDiscrepancyKind
{
    /// <summary>The client-side server logged a signed message of the exchange that the provider-side server did not log.</summary>
    MissingOnProviderSide = 1,

    /// <summary>The provider-side server logged a signed message of the exchange that the client-side server did not log.</summary>
    MissingOnClientSide,

    /// <summary>Both logged the message, but not the same signed head (or not the same ids).</summary>
    Different,

    /// <summary>A log receipt names a provider-side record that is not the exchange's request.</summary>
    ReceiptMismatch,

    /// <summary>A log receipt promised a checkpoint covering its record by a time, and a later checkpoint does not cover it.</summary>
    ReceiptBroken,

    /// <summary>A client-side response head does not decode (<c>HeadCodec</c>), so its <c>logReceipt</c>, if any, cannot be read.</summary>
    ReceiptMalformed,
}

namespace ExchangeGateway.MessageLog.Records;

/// <summary>Whether a record is a request or its response. The numeric values are part of the canonical encoding.</summary>
public enum RecordKind
{
    /// <summary>A request.</summary>
    Request = 1,

    /// <summary>The response to a request (or the error returned instead of one).</summary>
    Response = 2,
}

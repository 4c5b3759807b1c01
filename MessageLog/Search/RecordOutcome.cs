namespace ExchangeGateway.MessageLog.Search;

/// <summary>How an exchange record ended, as the auditor's search filters it.</summary>
public enum RecordOutcome
{
    /// <summary>No error code and no HTTP status of 400 or above (a request record has neither).</summary>
    Success = 1,

    /// <summary>An error code (the gateway refused or failed), or an HTTP status of 400 or above.</summary>
    Error = 2,
}

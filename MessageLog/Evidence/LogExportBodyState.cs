namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>Whether an exported record carries its body. The digest is in the leaf in every case.</summary>
public enum LogExportBodyState
{
    /// <summary>The body is in the export (<c>present</c>).</summary>
    Present = 1,

    /// <summary>Body logging was off for the service: only the digest was ever kept (<c>not-logged</c>).</summary>
    NotLogged,

    /// <summary>Body retention removed the body (<c>erased</c>).</summary>
    Erased,
}

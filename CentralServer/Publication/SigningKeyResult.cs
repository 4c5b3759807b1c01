namespace ExchangeGateway.CentralServer.Publication;

/// <summary>Outcome of a key-rotation step.</summary>
public enum SigningKeyResult
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>No key with that id.</summary>
    NotFound,

    /// <summary>The key's state does not allow the step (retiring the active key, activating a retired one).</summary>
    InvalidState,
}

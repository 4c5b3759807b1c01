namespace ExchangeGateway.CentralServer.Publication;

/// <summary>Where a configuration-signing key is in its rotation.</summary>
public enum SigningKeyState
{
    /// <summary>Listed in the anchor, not yet signing: security servers learn to trust it first.</summary>
    Standby,

    /// <summary>Signs every new configuration. Exactly one key is active.</summary>
    Active,

    /// <summary>Removed from the anchor; kept only as history.</summary>
    Retired,
}

namespace ExchangeGateway.Signer.Keys;

/// <summary>What a key is for; each purpose gets its own certificate profile at the CA.</summary>
public enum KeyPurpose
{
    /// <summary>The security server's TLS key (one per server): mutual TLS between security servers.</summary>
    Authentication = 0,

    /// <summary>A member's message-signing key (one per member whose subsystems the server hosts).</summary>
    Signing,
}

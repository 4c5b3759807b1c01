namespace ExchangeGateway.TrustServices.Ca;

/// <summary>Key types the dev CA can generate. <see cref="Rsa1024"/> exists only to test rejection.</summary>
public enum KeyKind
{
    /// <summary>ECDSA on P-256 (the default, ARCHITECTURE.md §5).</summary>
    EcdsaP256,

    /// <summary>ECDSA on P-384.</summary>
    EcdsaP384,

    /// <summary>RSA 2048.</summary>
    Rsa2048,

    /// <summary>RSA 3072.</summary>
    Rsa3072,

    /// <summary>RSA 1024: weak, rejected by every verifier. Negative tests only.</summary>
    Rsa1024,
}

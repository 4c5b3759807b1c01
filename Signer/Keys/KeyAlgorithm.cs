namespace ExchangeGateway.Signer.Keys;

/// <summary>The key types the Signer generates (ARCHITECTURE.md §5).</summary>
public enum KeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256 with SHA-256: the default, about 30,000 signatures per second per core.</summary>
    EcdsaP256 = 0,

    /// <summary>RSA 2048 with PKCS#1 v1.5 and SHA-256: about 2,100 signatures per second per core.</summary>
    Rsa2048,

    /// <summary>RSA 3072 with PKCS#1 v1.5 and SHA-256: about 400 signatures per second per core.</summary>
    Rsa3072,
}

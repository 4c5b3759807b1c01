using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Enrolment;

/// <summary>Settings of <see cref="TokenEnrolment"/>.</summary>
public sealed record EnrolmentOptions
{
    /// <summary>The defaults: ECDSA P-256 keys, 30 s per HTTP request, the system clock.</summary>
    public static EnrolmentOptions Default { get; } = new();

    /// <summary>The algorithm of keys generated for missing slots (existing keys are reused as they are).</summary>
    public KeyAlgorithm Algorithm { get; init; } = KeyAlgorithm.EcdsaP256;

    /// <summary>The most one HTTP request to the CA may take, headers and body.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for timeouts and for checking the issued certificate.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

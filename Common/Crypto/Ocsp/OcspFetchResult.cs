using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>What <see cref="OcspClient"/> got: the raw response (to staple or archive) and its verification.</summary>
/// <param name="Response">The DER OCSPResponse as received; empty when none was received.</param>
/// <param name="Verification">The verified status, or why there is none.</param>
public sealed record OcspFetchResult(ReadOnlyMemory<byte> Response, VerificationResult<OcspStatus> Verification)
{
    /// <summary>True when the certificate is good according to a verified response.</summary>
    public bool IsGood => Verification.IsValid;
}

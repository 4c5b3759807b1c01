using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>What a verified CMS signature tells: who signed, with what, and when they said they did.</summary>
/// <param name="Signer">The signer's certificate.</param>
/// <param name="Chain">The validated chain from the signer to the trust anchor.</param>
/// <param name="DigestAlgorithm">The digest the signature covers.</param>
/// <param name="SigningTime">The signed signing-time attribute, if present (a claim of the signer, not a time-stamp).</param>
public sealed record CmsSignatureInfo(
    X509Certificate2 Signer,
    IReadOnlyList<X509Certificate2> Chain,
    HashAlgorithmName DigestAlgorithm,
    DateTimeOffset? SigningTime);

using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.X509;

namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>
/// The trust material a time-stamp is checked against, taken from the global configuration in force
/// (ARCHITECTURE.md §6: approved CAs and approved TSAs).
/// </summary>
/// <param name="Validator">Validates the TSA certificate's chain to an approved CA.</param>
/// <param name="ApprovedTsaCertificates">
/// When not null, the signer must be one of these certificates (the approved TSAs of global
/// configuration). They also serve to find the signer when a token carries no certificate
/// (<c>certReq</c> false, RFC 3161 §2.4.1).
/// </param>
public sealed record TimeStampTrust(
    CertificateValidator Validator,
    IReadOnlyList<X509Certificate2>? ApprovedTsaCertificates = null);

using ExchangeGateway.Common.Crypto.Ocsp;

namespace ExchangeGateway.Signer.Ocsp;

/// <summary>
/// A verified OCSP response for one of our own certificates, ready to travel with a signature
/// (ARCHITECTURE.md §2 step 3) or to be shown on a status page. Its status may be other than good: an
/// authentic "revoked" replaces an earlier "good", so that signing stops at once.
/// </summary>
/// <param name="Response">The DER OCSPResponse exactly as the responder sent it.</param>
/// <param name="Status">The certificate's status in it.</param>
/// <param name="ThisUpdate">When the responder knew the status to be correct; freshness is measured from here.</param>
/// <param name="NextUpdate">When the responder promises newer information; null when it does not say.</param>
/// <param name="ProducedAt">When the responder signed it.</param>
public sealed record OcspStapled(
    ReadOnlyMemory<byte> Response,
    OcspCertificateStatus Status,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate,
    DateTimeOffset ProducedAt);

using System.Collections.Immutable;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>An approved certification authority.</summary>
/// <param name="Id">SHA-256 of the CA certificate (DER), lowercase hex.</param>
/// <param name="Name">A unique display name.</param>
/// <param name="Certificate">The CA certificate, DER.</param>
/// <param name="OcspUrl">The OCSP responder URL.</param>
/// <param name="OcspResponderCertificate">The responder's certificate when it is not the CA itself (DER).</param>
/// <param name="Profile">How its certificates name members.</param>
public sealed record ApprovedCa(
    string Id,
    string Name,
    ImmutableArray<byte> Certificate,
    string OcspUrl,
    ImmutableArray<byte>? OcspResponderCertificate,
    CertificateProfile Profile);

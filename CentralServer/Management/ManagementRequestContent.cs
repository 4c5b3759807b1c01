using ExchangeGateway.Config.Management;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>A parsed management request: what the signed bytes say.</summary>
/// <param name="Type">What to change.</param>
/// <param name="RequestId">The sender's request id (lowercase UUID text).</param>
/// <param name="CreatedAt">When the sender created it.</param>
/// <param name="ServerId">The security server concerned.</param>
/// <param name="ClientId">The client, for client registration, deletion, disable and enable.</param>
/// <param name="Address">The server address, for auth-cert registration and address change.</param>
/// <param name="AuthCertificate">The authentication certificate (DER), for auth-cert registration (and deletion when sent whole).</param>
/// <param name="AuthCertificateHash">SHA-256 (lowercase hex) of the authentication certificate, for auth-cert registration and deletion.</param>
/// <param name="NewOwner">The member to become the owner, for owner-change.</param>
internal sealed record ManagementRequestContent(
    ManagementRequestType Type,
    string RequestId,
    DateTimeOffset CreatedAt,
    SecurityServerId ServerId,
    ClientId? ClientId,
    string? Address,
    byte[]? AuthCertificate,
    string? AuthCertificateHash = null,
    MemberId? NewOwner = null);

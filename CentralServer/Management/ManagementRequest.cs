using ExchangeGateway.Config.Management;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>A stored management request.</summary>
/// <param name="Id">The sender's request id (lowercase UUID).</param>
/// <param name="Type">What it changes.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="ServerId">The security server concerned.</param>
/// <param name="ClientId">The client, for client registration, deletion, disable and enable.</param>
/// <param name="Address">The address, for auth-cert registration and address change.</param>
/// <param name="AuthCertificateHash">SHA-256 (lowercase hex) of the authentication certificate, for auth-cert registration and deletion.</param>
/// <param name="OwnerSigner">The subject of the owner's signing certificate.</param>
/// <param name="CreatedAt">When the sender created it.</param>
/// <param name="ReceivedAt">When the Central Server accepted it.</param>
/// <param name="DecidedAt">When it left <see cref="ManagementRequestState.Pending"/> (or was revoked).</param>
/// <param name="DecidedBy">Who decided: an API key's name, or <c>auto-approval</c>.</param>
public sealed record ManagementRequest(
    string Id,
    ManagementRequestType Type,
    ManagementRequestState State,
    SecurityServerId ServerId,
    ClientId? ClientId,
    string? Address,
    string? AuthCertificateHash,
    string OwnerSigner,
    DateTimeOffset CreatedAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy)
{
    /// <summary>The member to become the server's owner, for owner-change.</summary>
    public MemberId? NewOwner { get; init; }
}

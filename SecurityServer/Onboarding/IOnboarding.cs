using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>
/// Sends this server's signed management requests to the Central Server and follows their approval in
/// the global configuration (ISSUE6-CONTRACTS.md, "Onboarding"). The admin API and the <c>AutoRegister</c>
/// development option both go through it.
/// </summary>
public interface IOnboarding
{
    /// <summary>auth-cert-registration for a token certificate (state saved → registration-in-progress); <paramref name="address"/> defaults to <c>SecurityServer:PublicAddress</c>.</summary>
    Task<OnboardingResult> RegisterAuthenticationCertificateAsync(string certificateId, string? address, CancellationToken cancellationToken);

    /// <summary>auth-cert-deletion (registered → deletion-in-progress).</summary>
    Task<OnboardingResult> UnregisterAuthenticationCertificateAsync(string certificateId, CancellationToken cancellationToken);

    /// <summary>client-registration (saved → registration-in-progress).</summary>
    Task<OnboardingResult> RegisterClientAsync(ClientId client, CancellationToken cancellationToken);

    /// <summary>client-deletion (registered → deletion-in-progress).</summary>
    Task<OnboardingResult> UnregisterClientAsync(ClientId client, CancellationToken cancellationToken);

    /// <summary>client-disable (registered → disabling-in-progress).</summary>
    Task<OnboardingResult> DisableClientAsync(ClientId client, CancellationToken cancellationToken);

    /// <summary>client-enable (disabled → enabling-in-progress).</summary>
    Task<OnboardingResult> EnableClientAsync(ClientId client, CancellationToken cancellationToken);

    /// <summary>address-change.</summary>
    Task<OnboardingResult> ChangeAddressAsync(string address, CancellationToken cancellationToken);

    /// <summary>owner-change to <paramref name="newOwner"/>, a member with a registered client on this server and a signing certificate here.</summary>
    Task<OnboardingResult> ChangeOwnerAsync(MemberId newOwner, CancellationToken cancellationToken);

    /// <summary>Advances certificate and client states to what <paramref name="configuration"/> shows.</summary>
    void Follow(GlobalConfiguration configuration);
}

/// <summary>The outcome of a management request: accepted by the Central Server, or a stable code.</summary>
public sealed record OnboardingResult
{
    /// <summary>True when the Central Server accepted the request.</summary>
    public bool Success => Code is null;

    /// <summary>The Central Server's request id (UUID).</summary>
    public string? RequestId { get; init; }

    /// <summary>The request's state at the Central Server: <c>pending</c> or <c>approved</c>.</summary>
    public string? RequestState { get; init; }

    /// <summary>The failure code (see the contract), null on success.</summary>
    public string? Code { get; init; }

    /// <summary>What went wrong.</summary>
    public string? Message { get; init; }
}

using System.Collections.Concurrent;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Onboarding;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>
/// A test double of <see cref="IOnboarding"/> for the admin layer: it records each call as <c>operation target</c>
/// and answers with <see cref="Next"/> (accepted with a fresh request id unless a failure is set). The real
/// onboarding is tested against a real Central Server by its own tests.
/// </summary>
internal sealed class RecordingOnboarding : IOnboarding
{
    private int _requests;

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>When set, every call fails with this result.</summary>
    public OnboardingResult? Failure { get; set; }

    public Task<OnboardingResult> RegisterAuthenticationCertificateAsync(string certificateId, string? address, CancellationToken cancellationToken) =>
        Answer($"auth-cert-registration {certificateId} {address ?? "-"}");

    public Task<OnboardingResult> UnregisterAuthenticationCertificateAsync(string certificateId, CancellationToken cancellationToken) =>
        Answer($"auth-cert-deletion {certificateId}");

    public Task<OnboardingResult> RegisterClientAsync(ClientId client, CancellationToken cancellationToken) => Answer($"client-registration {client}");

    public Task<OnboardingResult> UnregisterClientAsync(ClientId client, CancellationToken cancellationToken) => Answer($"client-deletion {client}");

    public Task<OnboardingResult> DisableClientAsync(ClientId client, CancellationToken cancellationToken) => Answer($"client-disable {client}");

    public Task<OnboardingResult> EnableClientAsync(ClientId client, CancellationToken cancellationToken) => Answer($"client-enable {client}");

    public Task<OnboardingResult> ChangeAddressAsync(string address, CancellationToken cancellationToken) => Answer($"address-change {address}");

    public Task<OnboardingResult> ChangeOwnerAsync(MemberId newOwner, CancellationToken cancellationToken) => Answer($"owner-change {newOwner}");

    public void Follow(GlobalConfiguration configuration) => Calls.Enqueue("follow");

    private Task<OnboardingResult> Answer(string call)
    {
        Calls.Enqueue(call);
        var id = Interlocked.Increment(ref _requests);
        return Task.FromResult(Failure ?? new OnboardingResult { RequestId = $"00000000-0000-0000-0000-{id:D12}", RequestState = "pending" });
    }
}

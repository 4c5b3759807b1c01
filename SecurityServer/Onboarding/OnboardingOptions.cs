namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>Settings of <see cref="OnboardingService"/>; <see cref="OnboardingServiceCollectionExtensions.AddOnboarding"/> fills them from <c>SecurityServer</c>.</summary>
public sealed record OnboardingOptions
{
    /// <summary>The address registered with an authentication certificate when the caller gives none (<c>SecurityServer:PublicAddress</c>).</summary>
    public required string PublicAddress { get; init; }

    /// <summary>The longest one POST to the management service may take, answer included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest Central Server answer read; its answers are small JSON objects.</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024;
}

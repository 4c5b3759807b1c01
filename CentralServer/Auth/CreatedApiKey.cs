namespace ExchangeGateway.CentralServer.Auth;

/// <summary>A new API key: its stored description and the secret key text, which exists only in this value.</summary>
/// <param name="Info">What is stored.</param>
/// <param name="Key">The full key to hand to its owner once, e.g. <c>3f9a0c1d2e4b5a69.Zm9v…</c>.</param>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

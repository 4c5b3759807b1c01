using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;

namespace ExchangeGateway.SecurityServer.Auditing;

/// <summary>A configuration from the <see cref="GlobalConfigurationHistory"/>, verified again against its anchor when read.</summary>
/// <param name="Entry">Its history entry.</param>
/// <param name="Signed">The signed configuration, as downloaded.</param>
/// <param name="Configuration">Its parsed content.</param>
/// <param name="Anchor">The anchor file bytes that verify it.</param>
public sealed record HistoricalConfiguration(
    GlobalConfigurationHistoryEntry Entry,
    SignedConfiguration Signed,
    GlobalConfiguration Configuration,
    ReadOnlyMemory<byte> Anchor);

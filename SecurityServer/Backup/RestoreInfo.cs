using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>What a restore put in place.</summary>
/// <param name="ServerId">The server the backup was made on.</param>
/// <param name="RestoredFiles">The restored files, as paths inside the backup (<c>serverconf.json</c>, <c>keys/token.json</c>, …).</param>
public sealed record RestoreInfo(SecurityServerId ServerId, IReadOnlyList<string> RestoredFiles);

using System.Collections.Immutable;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>An approved time-stamping authority.</summary>
/// <param name="Id">SHA-256 of the TSA certificate (DER), lowercase hex.</param>
/// <param name="Name">A unique display name.</param>
/// <param name="Url">Where RFC 3161 requests go.</param>
/// <param name="Certificate">The TSA certificate, DER.</param>
public sealed record ApprovedTsa(string Id, string Name, string Url, ImmutableArray<byte> Certificate);

using System.Collections.Immutable;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>
/// Everything in the registry at one <see cref="Version"/>, read in one transaction. Immutable; every list
/// is sorted by its canonical key (ordinal), so equal registries give equal snapshots and a configuration
/// generator produces the same bytes from the same version.
/// </summary>
/// <param name="InstanceId">The X-Road instance this Central Server runs.</param>
/// <param name="Version">The registry version; every change increments it by one.</param>
/// <param name="MemberClasses">Member classes.</param>
/// <param name="Members">Members.</param>
/// <param name="Subsystems">Subsystems.</param>
/// <param name="SecurityServers">Security servers with their certificate hashes and clients.</param>
/// <param name="CertificationAuthorities">Approved CAs.</param>
/// <param name="TimestampingAuthorities">Approved TSAs.</param>
/// <param name="GlobalGroups">Global groups with their members.</param>
public sealed record RegistrySnapshot(
    string InstanceId,
    long Version,
    ImmutableArray<MemberClass> MemberClasses,
    ImmutableArray<Member> Members,
    ImmutableArray<Subsystem> Subsystems,
    ImmutableArray<SecurityServer> SecurityServers,
    ImmutableArray<ApprovedCa> CertificationAuthorities,
    ImmutableArray<ApprovedTsa> TimestampingAuthorities,
    ImmutableArray<GlobalGroup> GlobalGroups);

using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using RegistryCa = ExchangeGateway.CentralServer.Registration.ApprovedCa;
using RegistryGroup = ExchangeGateway.CentralServer.Registration.GlobalGroup;
using RegistryTsa = ExchangeGateway.CentralServer.Registration.ApprovedTsa;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>Turns one consistent registry snapshot into a global configuration generation.</summary>
public static class ConfigurationGenerator
{
    /// <summary>Builds generation <paramref name="serial"/> from <paramref name="snapshot"/>.</summary>
    public static GlobalConfiguration Generate(RegistrySnapshot snapshot, long serial, DateTimeOffset now, PublicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var subsystemsByMember = snapshot.Subsystems.ToLookup(s => s.Id.Member);
        return new GlobalConfiguration
        {
            InstanceId = snapshot.InstanceId,
            Serial = serial,
            GeneratedAt = now,
            ExpiresAt = now + options.Validity,
            Members = snapshot.Members.Select(m => new MemberInfo(m.Id, m.Name, subsystemsByMember[m.Id].Select(s => s.Id.SubsystemCode))).ToArray(),
            SecurityServers = snapshot.SecurityServers.Select(s => new SecurityServerInfo(s.Id, s.Address, s.AuthenticationCertificateHashes, s.Clients) { DisabledClients = s.DisabledClients }).ToArray(),
            ApprovedCas = snapshot.CertificationAuthorities.Select(ToConfig).ToArray(),
            ApprovedTsas = snapshot.TimestampingAuthorities.Select(ToConfig).ToArray(),
            GlobalGroups = snapshot.GlobalGroups.Select(ToConfig).ToArray(),
            Settings = new ConfigurationSettings(options.OcspFreshness, options.TimeStampingInterval, options.AcceptableTimeStampFailurePeriod, options.RefreshInterval),
            ManagementServiceAddress = options.ManagementServiceUrl,
        };
    }

    private static Config.Model.ApprovedCa ToConfig(RegistryCa ca) => new(
        ca.Name,
        ca.Certificate.AsMemory(),
        [new OcspResponderInfo(ca.OcspUrl, ca.OcspResponderCertificate is { } responder ? responder.AsMemory() : default)],
        new CertificateSubjectProfile(ca.Profile.MemberClassRdn, ca.Profile.MemberCodeRdn, ca.Profile.InstanceRdn));

    private static Config.Model.ApprovedTsa ToConfig(RegistryTsa tsa) => new(tsa.Name, tsa.Url, tsa.Certificate.AsMemory());

    private static Config.Model.GlobalGroup ToConfig(RegistryGroup group) => new(group.Id, group.Description, group.Members);
}

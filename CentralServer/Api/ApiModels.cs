using System.Globalization;
using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Registration;

namespace ExchangeGateway.CentralServer.Api;

/// <summary>The JSON shape of each registry entry: identifiers as canonical text, certificates as PEM, times as ISO 8601 UTC.</summary>
internal static class ApiModels
{
    internal static object MemberClass(MemberClass c) => new { code = c.Code, description = c.Description };

    internal static object Member(Member m) => new
    {
        id = m.Id.ToString(),
        instance = m.Id.Instance,
        memberClass = m.Id.MemberClass,
        memberCode = m.Id.MemberCode,
        name = m.Name,
    };

    internal static object Subsystem(Subsystem s) => new
    {
        id = s.Id.ToString(),
        member = s.Id.Member.ToString(),
        subsystemCode = s.Id.SubsystemCode,
        name = s.Name,
    };

    internal static object SecurityServer(SecurityServer s) => new
    {
        id = s.Id.ToString(),
        owner = s.Id.Owner.ToString(),
        serverCode = s.Id.ServerCode,
        address = s.Address,
        authenticationCertificateHashes = s.AuthenticationCertificateHashes.ToArray(),
        clients = s.Clients.Select(c => c.ToString()).ToArray(),
        disabledClients = s.DisabledClients.Select(c => c.ToString()).ToArray(),
    };

    internal static object Ca(ApprovedCa ca) => new
    {
        id = ca.Id,
        name = ca.Name,
        certificate = CertificateText.Pem(ca.Certificate),
        ocspUrl = ca.OcspUrl,
        ocspResponderCertificate = ca.OcspResponderCertificate is { } r ? CertificateText.Pem(r) : null,
        profile = new
        {
            memberCodeRdn = ca.Profile.MemberCodeRdn,
            memberClassRdn = ca.Profile.MemberClassRdn,
            instanceRdn = ca.Profile.InstanceRdn,
        },
    };

    internal static object Tsa(ApprovedTsa tsa) => new
    {
        id = tsa.Id,
        name = tsa.Name,
        url = tsa.Url,
        certificate = CertificateText.Pem(tsa.Certificate),
    };

    internal static object GlobalGroup(GlobalGroup g) => new
    {
        id = g.Id.ToString(),
        groupCode = g.Id.GroupCode,
        description = g.Description,
        members = g.Members.Select(c => c.ToString()).ToArray(),
    };

    internal static object ApiKey(ApiKeyInfo k) => new
    {
        id = k.Id,
        name = k.Name,
        roles = k.Roles.Select(Roles.Name).ToArray(),
        createdAt = Time(k.CreatedAt),
        createdBy = k.CreatedBy,
        revokedAt = k.RevokedAt is { } at ? Time(at) : null,
        active = k.Active,
    };

    internal static object Audit(AuditEntry e) => new
    {
        sequence = e.Sequence,
        at = Time(e.At),
        actorKeyId = e.ActorKeyId,
        actorName = e.ActorName,
        action = e.Action,
        target = e.Target,
        outcome = e.Outcome,
        detail = e.Detail,
        registryVersion = e.RegistryVersion,
    };

    internal static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    internal static string Location(string collection, object id) => $"/api/v1/{collection}/{Uri.EscapeDataString(id.ToString()!)}";
}

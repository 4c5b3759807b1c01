using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.Config.Serialization;

/// <summary>
/// The semantic rules every written and every read document obeys. The writer throws
/// <see cref="ArgumentException"/> (building a bad snapshot is a bug); the reader reports the same
/// message as a parse failure. Uniqueness rules also make the canonical sort order total.
/// </summary>
internal static class ConfigurationRules
{
    public const long MaxSerial = (1L << 53) - 1;
    public const int MaxNameLength = 256;
    public const int MaxDescriptionLength = 1024;
    public const int MaxUrlLength = 2048;
    public const int MaxCertificateBytes = 64 * 1024;

    public static void Validate(GlobalConfiguration c)
    {
        CheckInstance(c.InstanceId, "instanceId");
        Check(c.Serial is >= 1 and <= MaxSerial, $"serial must lie in [1, {MaxSerial}]");
        Check(c.ExpiresAt > c.GeneratedAt, "expiresAt must be after generatedAt");
        CheckUrl(c.ManagementServiceAddress, "managementServiceAddress");
        var s = c.Settings;
        Check(s.OcspFreshness > TimeSpan.Zero && s.TimeStampingInterval > TimeSpan.Zero
            && s.AcceptableTimeStampFailurePeriod > TimeSpan.Zero && s.RefreshInterval > TimeSpan.Zero,
            "every duration in settings must be at least one second");

        var members = new Dictionary<MemberId, MemberInfo>();
        foreach (var m in c.Members)
        {
            Check(m.Id.Instance == c.InstanceId, $"member {m.Id} is not of instance {c.InstanceId}");
            Check(members.TryAdd(m.Id, m), $"member {m.Id} is listed twice");
            CheckText(m.Name, $"name of member {m.Id}", MaxNameLength, allowEmpty: false);
            Unique(m.SubsystemCodes, $"subsystem codes of member {m.Id}");
            foreach (var code in m.SubsystemCodes)
            {
                Check(!code.Contains('/', StringComparison.Ordinal) && SubsystemId.TryParse($"{m.Id}/{code}").Success,
                    $"member {m.Id} has an invalid subsystem code");
            }
        }

        bool Registered(ClientId client) =>
            members.TryGetValue(client.Member, out var m)
            && (!client.IsSubsystem || m.SubsystemCodes.Contains(client.SubsystemCode, StringComparer.Ordinal));

        var servers = new HashSet<SecurityServerId>();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in c.SecurityServers)
        {
            Check(servers.Add(server.Id), $"security server {server.Id} is listed twice");
            Check(members.ContainsKey(server.Id.Owner), $"the owner of security server {server.Id} is not a member");
            CheckAddress(server.Address, $"address of security server {server.Id}");
            foreach (var hash in server.AuthenticationCertificateHashes)
            {
                Check(hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower),
                    $"an authentication certificate hash of security server {server.Id} is not 64 lowercase hex digits");
                Check(hashes.Add(hash), $"an authentication certificate hash of security server {server.Id} is registered twice");
            }

            Unique(server.Clients.Select(x => x.ToString()), $"clients of security server {server.Id}");
            foreach (var client in server.Clients)
            {
                Check(Registered(client), $"security server {server.Id} hosts {client}, which is not registered");
            }

            Unique(server.DisabledClients.Select(x => x.ToString()), $"disabled clients of security server {server.Id}");
            foreach (var client in server.DisabledClients)
            {
                Check(server.Clients.Contains(client), $"security server {server.Id} marks {client} disabled, which it does not host");
            }
        }

        Unique(c.ApprovedCas.Select(x => x.Name), "approved CA names");
        foreach (var ca in c.ApprovedCas)
        {
            CheckText(ca.Name, "an approved CA name", MaxNameLength, allowEmpty: false);
            CheckCertificate(ca.Certificate, $"certificate of CA '{ca.Name}'");
            Unique(ca.OcspResponders.Select(r => r.Url), $"OCSP responder URLs of CA '{ca.Name}'");
            foreach (var responder in ca.OcspResponders)
            {
                CheckUrl(responder.Url, $"an OCSP responder URL of CA '{ca.Name}'");
                if (responder.HasCertificate)
                {
                    CheckCertificate(responder.Certificate, $"an OCSP responder certificate of CA '{ca.Name}'");
                }
            }
        }

        Unique(c.ApprovedTsas.Select(x => x.Name), "approved TSA names");
        foreach (var tsa in c.ApprovedTsas)
        {
            CheckText(tsa.Name, "an approved TSA name", MaxNameLength, allowEmpty: false);
            CheckUrl(tsa.Url, $"URL of TSA '{tsa.Name}'");
            CheckCertificate(tsa.Certificate, $"certificate of TSA '{tsa.Name}'");
        }

        Unique(c.GlobalGroups.Select(g => g.Id.ToString()), "global groups");
        foreach (var group in c.GlobalGroups)
        {
            Check(group.Id.Instance == c.InstanceId, $"global group {group.Id} is not of instance {c.InstanceId}");
            CheckText(group.Description, $"description of global group {group.Id}", MaxDescriptionLength, allowEmpty: true);
            Unique(group.Members.Select(x => x.ToString()), $"members of global group {group.Id}");
            foreach (var client in group.Members)
            {
                Check(Registered(client), $"global group {group.Id} lists {client}, which is not registered");
            }
        }

        Unique(c.FederatedInstances.Select(f => f.InstanceId), "federated instances");
        foreach (var federated in c.FederatedInstances)
        {
            Check(federated.InstanceId != c.InstanceId, "an instance cannot federate with itself");
            Validate(federated.Anchor);
        }

        Unique(c.RiskScores.Select(r => r.Member.ToString()), "risk scores (one per member)");
        foreach (var score in c.RiskScores)
        {
            Check(members.ContainsKey(score.Member), $"risk score for {score.Member}, which is not a member");
            Check(score.CybersecurityScore is >= 0 and <= 100 && score.PrivacyScore is >= 0 and <= 100,
                $"risk scores of {score.Member} must lie in [0, 100]");
            CheckText(score.Version, $"risk score version of {score.Member}", 64, allowEmpty: false);
        }
    }

    public static void Validate(ConfigurationAnchor anchor)
    {
        CheckInstance(anchor.InstanceId, "anchor instanceId");
        Check(anchor.DownloadUrls.Count > 0, $"the anchor of {anchor.InstanceId} has no download URL");
        Unique(anchor.DownloadUrls, $"download URLs of the anchor of {anchor.InstanceId}");
        foreach (var url in anchor.DownloadUrls)
        {
            CheckUrl(url, $"a download URL of the anchor of {anchor.InstanceId}");
        }

        Check(anchor.Certificates.Count > 0, $"the anchor of {anchor.InstanceId} has no verification certificate");
        Unique(anchor.Certificates.Select(x => Convert.ToBase64String(x.Span)), $"certificates of the anchor of {anchor.InstanceId}");
        foreach (var certificate in anchor.Certificates)
        {
            CheckCertificate(certificate, $"a certificate of the anchor of {anchor.InstanceId}");
        }
    }

    public static void CheckInstance(string instance, string what) =>
        // The strict Common parser decides; a '/' would be read as a separator, so it is excluded first.
        Check(!instance.Contains('/', StringComparison.Ordinal) && GlobalGroupId.TryParse($"{instance}/x").Success, $"{what} is not a valid instance identifier");

    private static void CheckUrl(string url, string what)
    {
        Check(url.Length is > 0 and <= MaxUrlLength && !url.Any(ch => ch <= ' ' || ch >= '\u007f'), $"{what} must be printable ASCII without spaces, at most {MaxUrlLength} characters");
        Check(Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0 && uri.Host.Length > 0,
            $"{what} must be an absolute http or https URL without user info or fragment");
    }

    private static void CheckAddress(string address, string what)
    {
        var host = address;
        string? port = null;
        if (address.StartsWith('['))
        {
            var end = address.IndexOf(']', StringComparison.Ordinal);
            Check(end > 0, $"{what} has an unclosed IPv6 bracket");
            host = address[1..end];
            var rest = address[(end + 1)..];
            Check(rest.Length == 0 || rest[0] == ':', $"{what} must be host[:port]");
            port = rest.Length == 0 ? null : rest[1..];
            Check(Uri.CheckHostName(host) == UriHostNameType.IPv6, $"{what} has an invalid IPv6 address");
        }
        else
        {
            var colon = address.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                host = address[..colon];
                port = address[(colon + 1)..];
            }

            var kind = Uri.CheckHostName(host);
            Check(host.Length is > 0 and <= 253 && (kind == UriHostNameType.Dns || kind == UriHostNameType.IPv4), $"{what} must be a DNS name or an IP address with an optional port");
        }

        if (port is not null)
        {
            Check(port.Length is > 0 and <= 5 && port.All(char.IsAsciiDigit) && port[0] != '0'
                && int.Parse(port, CultureInfo.InvariantCulture) <= 65535, $"{what} has an invalid port");
        }
    }

    private static void CheckCertificate(ReadOnlyMemory<byte> der, string what)
    {
        Check(der.Length is > 0 and <= MaxCertificateBytes, $"{what} must be 1 to {MaxCertificateBytes} bytes");
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der.Span);
            Check(cert.RawData.AsSpan().SequenceEqual(der.Span), $"{what} is not exactly one DER certificate");
        }
        catch (CryptographicException)
        {
            throw new ArgumentException($"{what} is not a DER X.509 certificate");
        }
    }

    private static void CheckText(string text, string what, int maxLength, bool allowEmpty)
    {
        Check(allowEmpty || text.Length > 0, $"{what} is empty");
        Check(text.Length <= maxLength, $"{what} is longer than {maxLength} characters");
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            Check(!char.IsControl(ch), $"{what} contains a control character");
            if (char.IsHighSurrogate(ch))
            {
                Check(i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]), $"{what} contains an unpaired surrogate");
                i++;
            }
            else
            {
                Check(!char.IsLowSurrogate(ch), $"{what} contains an unpaired surrogate");
            }
        }
    }

    private static void Unique(IEnumerable<string> values, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            Check(seen.Add(v), $"{what} contain a duplicate");
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}

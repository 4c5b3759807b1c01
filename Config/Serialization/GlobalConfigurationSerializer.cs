using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.Config.Serialization;

/// <summary>
/// The one writer and the one reader of <see cref="GlobalConfiguration"/>. The byte form is UTF-8 JSON
/// in RFC 8785 canonical form (members in ascending name order, no whitespace, minimal escaping),
/// lists sorted as documented in <c>Config/README.md</c>, times as <c>yyyy-MM-ddTHH:mm:ssZ</c>,
/// durations as whole seconds, binary as standard base64 with padding. The same snapshot always
/// yields the same bytes, and the reader accepts nothing but those bytes.
/// </summary>
public static class GlobalConfigurationSerializer
{
    /// <summary>The largest document <see cref="Read"/> accepts by default: 10 MiB.</summary>
    public const int DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>The format version written to, and required in, every document.</summary>
    public const int FormatVersion = 1;

    /// <summary>The media type of the canonical content.</summary>
    public const string MediaType = "application/vnd.exchangegateway.global-conf+json";

    /// <summary>Writes the canonical bytes. Throws <see cref="ArgumentException"/> when the snapshot breaks a rule (a bug in the caller).</summary>
    public static byte[] Write(GlobalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ConfigurationRules.Validate(configuration);
        var w = new CanonicalJsonWriter();
        w.StartObject();

        w.Name("approvedCas");
        w.StartArray();
        foreach (var ca in configuration.ApprovedCas.OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            w.StartObject();
            w.String("certificate", Convert.ToBase64String(ca.Certificate.Span));
            w.String("name", ca.Name);
            w.Name("ocspResponders");
            w.StartArray();
            foreach (var r in ca.OcspResponders)
            {
                // Preference order is meaningful, so it is kept as given.
                w.StartObject();
                if (r.HasCertificate)
                {
                    w.String("certificate", Convert.ToBase64String(r.Certificate.Span));
                }

                w.String("url", r.Url);
                w.EndObject();
            }

            w.EndArray();
            w.Name("profile");
            w.StartObject();
            if (ca.Profile.InstanceAttribute is { } instanceAttribute)
            {
                w.String("instanceAttribute", instanceAttribute);
            }

            w.String("memberClassAttribute", ca.Profile.MemberClassAttribute);
            w.String("memberCodeAttribute", ca.Profile.MemberCodeAttribute);
            w.EndObject();
            w.EndObject();
        }

        w.EndArray();

        w.Name("approvedTsas");
        w.StartArray();
        foreach (var tsa in configuration.ApprovedTsas.OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            w.StartObject();
            w.String("certificate", Convert.ToBase64String(tsa.Certificate.Span));
            w.String("name", tsa.Name);
            w.String("url", tsa.Url);
            w.EndObject();
        }

        w.EndArray();

        w.String("expiresAt", StrictJson.FormatTime(configuration.ExpiresAt));

        w.Name("federatedInstances");
        w.StartArray();
        foreach (var f in configuration.FederatedInstances.OrderBy(x => x.InstanceId, StringComparer.Ordinal))
        {
            ConfigurationAnchorSerializer.WriteObject(w, f.Anchor);
        }

        w.EndArray();

        w.Number("formatVersion", FormatVersion);
        w.String("generatedAt", StrictJson.FormatTime(configuration.GeneratedAt));

        w.Name("globalGroups");
        w.StartArray();
        foreach (var g in configuration.GlobalGroups.OrderBy(x => x.Id.ToString(), StringComparer.Ordinal))
        {
            w.StartObject();
            w.String("description", g.Description);
            w.String("id", g.Id.ToString());
            WriteStrings(w, "members", g.Members.Select(x => x.ToString()));
            w.EndObject();
        }

        w.EndArray();

        w.String("instanceId", configuration.InstanceId);
        w.String("managementServiceAddress", configuration.ManagementServiceAddress);

        w.Name("members");
        w.StartArray();
        foreach (var m in configuration.Members.OrderBy(x => x.Id.ToString(), StringComparer.Ordinal))
        {
            w.StartObject();
            w.String("id", m.Id.ToString());
            w.String("name", m.Name);
            WriteStrings(w, "subsystemCodes", m.SubsystemCodes);
            w.EndObject();
        }

        w.EndArray();

        w.Name("riskScores");
        w.StartArray();
        foreach (var r in configuration.RiskScores.OrderBy(x => x.Member.ToString(), StringComparer.Ordinal))
        {
            w.StartObject();
            w.String("assessedOn", StrictJson.FormatDate(r.AssessedOn));
            w.Number("cybersecurityScore", r.CybersecurityScore);
            w.String("member", r.Member.ToString());
            w.Number("privacyScore", r.PrivacyScore);
            w.String("version", r.Version);
            w.EndObject();
        }

        w.EndArray();

        w.Name("securityServers");
        w.StartArray();
        foreach (var s in configuration.SecurityServers.OrderBy(x => x.Id.ToString(), StringComparer.Ordinal))
        {
            w.StartObject();
            w.String("address", s.Address);
            WriteStrings(w, "authenticationCertificateHashes", s.AuthenticationCertificateHashes);
            WriteStrings(w, "clients", s.Clients.Select(x => x.ToString()));
            if (s.DisabledClients.Count > 0)
            {
                // Optional and omitted when empty: snapshots without disabled clients keep the bytes they always had.
                WriteStrings(w, "disabledClients", s.DisabledClients.Select(x => x.ToString()));
            }

            w.String("id", s.Id.ToString());
            w.EndObject();
        }

        w.EndArray();

        w.Number("serial", configuration.Serial);

        w.Name("settings");
        w.StartObject();
        var settings = configuration.Settings;
        w.Number("acceptableTimeStampFailurePeriodSeconds", (long)settings.AcceptableTimeStampFailurePeriod.TotalSeconds);
        w.Number("ocspFreshnessSeconds", (long)settings.OcspFreshness.TotalSeconds);
        w.Number("refreshIntervalSeconds", (long)settings.RefreshInterval.TotalSeconds);
        w.Number("timeStampingIntervalSeconds", (long)settings.TimeStampingInterval.TotalSeconds);
        w.EndObject();

        w.EndObject();
        return w.ToUtf8();
    }

    /// <summary>
    /// Reads a document strictly: size cap before parsing, valid UTF-8, depth cap, no duplicate, unknown
    /// or missing members, identifiers through the strict Common parsers, every rule of the writer, and
    /// byte-identity with the canonical form. Never throws for bad input.
    /// </summary>
    /// <param name="bytes">The document.</param>
    /// <param name="maxBytes">The size cap; <see cref="DefaultMaxBytes"/> unless configured.</param>
    public static ParseResult<GlobalConfiguration> Read(ReadOnlyMemory<byte> bytes, int maxBytes = DefaultMaxBytes) =>
        StrictJson.Read(bytes, maxBytes, "global configuration", ReadRoot, Write);

    private static GlobalConfiguration ReadRoot(StrictObject o)
    {
        var version = StrictJson.Integer(o.Required("formatVersion"), o.At("formatVersion"));
        if (version != FormatVersion)
        {
            throw new ConfigurationFormatException($"formatVersion {version} is not supported (expected {FormatVersion})");
        }

        var settingsObject = o.Object("settings");
        var settings = new ConfigurationSettings(
            ocspFreshness: Seconds(settingsObject, "ocspFreshnessSeconds"),
            timeStampingInterval: Seconds(settingsObject, "timeStampingIntervalSeconds"),
            acceptableTimeStampFailurePeriod: Seconds(settingsObject, "acceptableTimeStampFailurePeriodSeconds"),
            refreshInterval: Seconds(settingsObject, "refreshIntervalSeconds"));
        settingsObject.End();

        var configuration = new GlobalConfiguration
        {
            InstanceId = StrictJson.String(o.Required("instanceId"), o.At("instanceId")),
            Serial = StrictJson.Integer(o.Required("serial"), o.At("serial")),
            GeneratedAt = StrictJson.Time(o.Required("generatedAt"), o.At("generatedAt")),
            ExpiresAt = StrictJson.Time(o.Required("expiresAt"), o.At("expiresAt")),
            ManagementServiceAddress = StrictJson.String(o.Required("managementServiceAddress"), o.At("managementServiceAddress")),
            Settings = settings,
            Members = StrictJson.Array(o.Required("members"), o.At("members"), ReadMember),
            SecurityServers = StrictJson.Array(o.Required("securityServers"), o.At("securityServers"), ReadServer),
            ApprovedCas = StrictJson.Array(o.Required("approvedCas"), o.At("approvedCas"), ReadCa),
            ApprovedTsas = StrictJson.Array(o.Required("approvedTsas"), o.At("approvedTsas"), ReadTsa),
            GlobalGroups = StrictJson.Array(o.Required("globalGroups"), o.At("globalGroups"), ReadGroup),
            FederatedInstances = StrictJson.Array(o.Required("federatedInstances"), o.At("federatedInstances"),
                (e, p) => new FederatedInstance(ConfigurationAnchorSerializer.ReadObject(new StrictObject(e, p)))),
            RiskScores = StrictJson.Array(o.Required("riskScores"), o.At("riskScores"), ReadRiskScore),
        };
        o.End();
        return configuration;
    }

    private static MemberInfo ReadMember(System.Text.Json.JsonElement e, string path)
    {
        var o = new StrictObject(e, path);
        var member = new MemberInfo(
            StrictJson.Identifier(o.Required("id"), o.At("id"), MemberId.TryParse),
            StrictJson.String(o.Required("name"), o.At("name")),
            StrictJson.Array(o.Required("subsystemCodes"), o.At("subsystemCodes"), StrictJson.String));
        o.End();
        return member;
    }

    private static SecurityServerInfo ReadServer(System.Text.Json.JsonElement e, string path)
    {
        var o = new StrictObject(e, path);
        var server = new SecurityServerInfo(
            StrictJson.Identifier(o.Required("id"), o.At("id"), SecurityServerId.TryParse),
            StrictJson.String(o.Required("address"), o.At("address")),
            StrictJson.Array(o.Required("authenticationCertificateHashes"), o.At("authenticationCertificateHashes"), StrictJson.String),
            StrictJson.Array(o.Required("clients"), o.At("clients"), (x, p) => StrictJson.Identifier(x, p, ClientId.TryParse)))
        {
            DisabledClients = o.Optional("disabledClients") is { } disabled
                ? StrictJson.Array(disabled, o.At("disabledClients"), (x, p) => StrictJson.Identifier(x, p, ClientId.TryParse))
                : [],
        };
        o.End();
        return server;
    }

    private static ApprovedCa ReadCa(System.Text.Json.JsonElement e, string path)
    {
        var o = new StrictObject(e, path);
        var profileObject = o.Object("profile");
        var instanceAttribute = profileObject.Optional("instanceAttribute") is { } ia ? StrictJson.String(ia, profileObject.At("instanceAttribute")) : null;
        var memberClass = StrictJson.String(profileObject.Required("memberClassAttribute"), profileObject.At("memberClassAttribute"));
        var memberCode = StrictJson.String(profileObject.Required("memberCodeAttribute"), profileObject.At("memberCodeAttribute"));
        profileObject.End();
        foreach (var attribute in new[] { instanceAttribute, memberClass, memberCode })
        {
            if (attribute is not null && !CertificateSubjectProfile.IsSupported(attribute))
            {
                throw new ConfigurationFormatException($"{profileObject.Path} names an unsupported subject attribute");
            }
        }

        var ca = new ApprovedCa(
            StrictJson.String(o.Required("name"), o.At("name")),
            StrictJson.Base64(o.Required("certificate"), o.At("certificate")),
            StrictJson.Array(o.Required("ocspResponders"), o.At("ocspResponders"), ReadResponder),
            new CertificateSubjectProfile(memberClass, memberCode, instanceAttribute));
        o.End();
        return ca;
    }

    private static OcspResponderInfo ReadResponder(System.Text.Json.JsonElement e, string path)
    {
        var o = new StrictObject(e, path);
        var certificate = o.Optional("certificate") is { } c ? StrictJson.Base64(c, o.At("certificate")) : [];
        var responder = new OcspResponderInfo(StrictJson.String(o.Required("url"), o.At("url")), certificate);
        o.End();
        return responder;
    }

    private static ApprovedTsa ReadTsa(System.Text.Json.JsonElement e, string path)
    {
        var o = new StrictObject(e, path);
        var tsa = new ApprovedTsa(
            StrictJson.String(o.Required("name"), o.At("name")),
            StrictJson.String(o.Required("url"), o.At("url")),
            StrictJson.Base64(o.Required("certificate"), o.At("certificate")));
        o.End();
        return tsa;
    }

    private static GlobalGroup ReadGroup(System.Text.Json.JsonElement e, string path)
    {
        var o = new StrictObject(e, path);
        var group = new GlobalGroup(
            StrictJson.Identifier(o.Required("id"), o.At("id"), GlobalGroupId.TryParse),
            StrictJson.String(o.Required("description"), o.At("description")),
            StrictJson.Array(o.Required("members"), o.At("members"), (x, p) => StrictJson.Identifier(x, p, ClientId.TryParse)));
        o.End();
        return group;
    }

    private static OrganisationRiskScore ReadRiskScore(System.Text.Json.JsonElement e, string path)
    {
        var o = new StrictObject(e, path);
        var cyber = StrictJson.Integer(o.Required("cybersecurityScore"), o.At("cybersecurityScore"));
        var privacy = StrictJson.Integer(o.Required("privacyScore"), o.At("privacyScore"));
        if (cyber is < 0 or > 100 || privacy is < 0 or > 100)
        {
            throw new ConfigurationFormatException($"{path}: scores must lie in [0, 100]");
        }

        var score = new OrganisationRiskScore(
            StrictJson.Identifier(o.Required("member"), o.At("member"), MemberId.TryParse),
            (int)cyber,
            (int)privacy,
            StrictJson.Date(o.Required("assessedOn"), o.At("assessedOn")),
            StrictJson.String(o.Required("version"), o.At("version")));
        o.End();
        return score;
    }

    private static TimeSpan Seconds(StrictObject o, string name)
    {
        var seconds = StrictJson.Integer(o.Required(name), o.At(name));
        return seconds is >= 1 and <= 100L * 365 * 24 * 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new ConfigurationFormatException($"{o.At(name)} must lie between one second and a hundred years");
    }

    private static void WriteStrings(CanonicalJsonWriter w, string name, IEnumerable<string> values)
    {
        w.Name(name);
        w.StartArray();
        foreach (var v in values.Order(StringComparer.Ordinal))
        {
            w.String(v);
        }

        w.EndArray();
    }
}

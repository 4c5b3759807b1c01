using System.Collections.Frozen;
using System.Globalization;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// The rules every local configuration obeys, whether read from <c>serverconf.json</c> or built by the
/// admin API. Each check returns null or a message that names the bad item and never quotes free text
/// beyond identifiers and codes that already passed the identifier rules.
/// </summary>
public static class LocalConfigurationRules
{
    /// <summary>The longest timeout accepted: one day, in milliseconds. Every wait is bounded.</summary>
    public const int MaxTimeoutMs = 86_400_000;

    /// <summary>The longest service URL accepted.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The longest HTTP method accepted.</summary>
    public const int MaxMethodLength = 32;

    /// <summary>The longest service description id accepted.</summary>
    public const int MaxDescriptionIdLength = 64;

    /// <summary>The longest disabled notice accepted.</summary>
    public const int MaxNoticeLength = 255;

    /// <summary>
    /// Service codes that name X-Road metaservices and monitoring services; a local service may not take
    /// them (XROAD-COMPAT.md). Compared ordinally, as identifiers are.
    /// </summary>
    public static readonly FrozenSet<string> ReservedServiceCodes = FrozenSet.ToFrozenSet(
        [
            "listClients", "listMethods", "allowedMethods", "getWsdl", "getOpenAPI",
            "getSecurityServerMetrics", "getSecurityServerOperationalData", "getSecurityServerHealthData",
        ],
        StringComparer.Ordinal);

    /// <summary>Null when <paramref name="client"/> may be hosted on <paramref name="server"/>, otherwise why not.</summary>
    public static string? CheckClient(LocalClient client, SecurityServerId server)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        var where = $"client {client.Id}";
        if (!string.Equals(client.Id.Member.Instance, server.Owner.Instance, StringComparison.Ordinal))
        {
            return $"{where} belongs to instance {client.Id.Member.Instance}, but this server belongs to {server.Owner.Instance}";
        }

        if (!Enum.IsDefined(client.ConnectionType))
        {
            return $"{where} has an unknown connection type";
        }

        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < client.IsCertificateHashes.Length; i++)
        {
            var hash = client.IsCertificateHashes[i];
            if (!IsSha256Hex(hash))
            {
                return $"{where}: isCertificates[{i}] must be the SHA-256 of a certificate's DER as 64 lowercase hex digits";
            }

            if (!hashes.Add(hash))
            {
                return $"{where}: isCertificates[{i}] repeats an earlier certificate";
            }
        }

        var owner = client.Id.AsSubsystem();
        if (owner is null && !client.Services.IsEmpty)
        {
            return $"{where} is a member; only subsystems offer services";
        }

        if (owner is null && !client.Descriptions.IsEmpty)
        {
            return $"{where} is a member; only subsystems register service descriptions";
        }

        var descriptions = new Dictionary<string, ServiceDescription>(StringComparer.Ordinal);
        foreach (var description in client.Descriptions)
        {
            ArgumentNullException.ThrowIfNull(description);
            var problem = CheckDescription(owner!, description);
            if (problem is not null)
            {
                return problem;
            }

            if (!descriptions.TryAdd(description.Id, description))
            {
                return $"{where} has the service description id '{description.Id}' more than once";
            }
        }

        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in client.LocalGroups)
        {
            ArgumentNullException.ThrowIfNull(group);
            var problem = CheckLocalGroup(client.Id, group);
            if (problem is not null)
            {
                return problem;
            }

            if (!groups.Add(group.Code))
            {
                return $"{where} has the local group '{group.Code}' more than once";
            }
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in client.Services)
        {
            ArgumentNullException.ThrowIfNull(service);
            var problem = CheckService(owner!, service);
            if (problem is not null)
            {
                return problem;
            }

            foreach (var right in service.AccessRights)
            {
                if (right.Subject.LocalGroupCode is { } groupCode && !groups.Contains(groupCode))
                {
                    return $"{where}, service '{service.Code}': the access right for {right.Subject} names no local group of this client";
                }
            }

            if (!codes.Add(service.Code))
            {
                return $"{where} has the service code '{service.Code}' more than once (one version per code)";
            }

            if (service.DescriptionId is { } descriptionId)
            {
                if (!descriptions.TryGetValue(descriptionId, out var description))
                {
                    return $"{where}, service '{service.Code}': descriptionId '{descriptionId}' names no service description of this client";
                }

                var expected = description.Type == ServiceDescriptionType.Wsdl ? ServiceType.Soap : ServiceType.Rest;
                if (service.Type != expected)
                {
                    return $"{where}, service '{service.Code}' is {TypeText(service.Type)} but its description '{descriptionId}' describes {TypeText(expected)} services";
                }
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="group"/> is a valid local group of <paramref name="client"/>, otherwise why not.</summary>
    public static string? CheckLocalGroup(ClientId client, LocalGroup group)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(group);
        var where = $"client {client}, local group '{group.Code}'";
        if (CheckLocalGroupCode(group.Code) is { } codeProblem)
        {
            return $"client {client}: {codeProblem}";
        }

        if (group.Description is null || group.Description.Length > LocalGroup.MaxDescriptionLength || group.Description.Any(char.IsControl))
        {
            return $"{where}: the description must be at most {LocalGroup.MaxDescriptionLength} characters without control characters";
        }

        if (group.Members.Length > LocalGroup.MaxMembers)
        {
            return $"{where} has more than {LocalGroup.MaxMembers} members";
        }

        var seen = new HashSet<ClientId>();
        foreach (var member in group.Members)
        {
            if (member is null)
            {
                return $"{where} has a member without an id";
            }

            if (!string.Equals(member.Member.Instance, client.Member.Instance, StringComparison.Ordinal))
            {
                return $"{where}: member {member} belongs to another instance";
            }

            if (!seen.Add(member))
            {
                return $"{where} lists {member} more than once";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="code"/> is a valid local group code (the identifier rules of a global group code).</summary>
    public static string? CheckLocalGroupCode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Contains('/', StringComparison.Ordinal))
        {
            return "a local group code must be 1 to 255 identifier characters";
        }

        // The same character rules as a global group's code, checked by the one identifier parser.
        var parsed = GlobalGroupId.TryParse("X/" + code);
        return parsed.Success ? null : $"local group code: {parsed.Message}";
    }

    /// <summary>Null when <paramref name="description"/> is valid for <paramref name="owner"/>, otherwise why not.</summary>
    public static string? CheckDescription(SubsystemId owner, ServiceDescription description)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(description);
        var where = $"client {owner}, service description '{description.Id}'";
        if (CheckDescriptionId(description.Id) is { } badId)
        {
            return $"client {owner}: {badId}";
        }

        if (!Enum.IsDefined(description.Type))
        {
            return $"{where} has an unknown type";
        }

        if (description.Source is not null && CheckDescriptionUrl(description.Source) is { } badSource)
        {
            return $"{where}: source {badSource}";
        }

        if (description.ServiceUrl is not null && CheckUrl(description.ServiceUrl) is { } badUrl)
        {
            return $"{where}: serviceUrl {badUrl}";
        }

        if (description.Type == ServiceDescriptionType.OpenApi3)
        {
            if (CheckServiceCode(owner, description.ServiceCode) is { } badCode)
            {
                return $"{where}: {badCode}";
            }
        }
        else if (description.ServiceCode is not null)
        {
            return $"{where}: serviceCode belongs to OpenAPI descriptions only (a WSDL names its own services)";
        }

        if (description.DisabledNotice is not null && CheckNotice(description.DisabledNotice) is { } badNotice)
        {
            return $"{where}: disabledNotice {badNotice}";
        }

        return IsSha256Hex(description.DocumentSha256)
            ? null
            : $"{where}: documentSha256 must be 64 lowercase hex digits";
    }

    /// <summary>Null when <paramref name="id"/> is 1–64 ASCII letters, digits, <c>-</c> or <c>_</c>.</summary>
    public static string? CheckDescriptionId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxDescriptionIdLength)
        {
            return $"a service description id must have 1 to {MaxDescriptionIdLength} characters";
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return "a service description id may hold only ASCII letters, digits, '-' and '_'";
            }
        }

        return null;
    }

    /// <summary>
    /// Null when <paramref name="url"/> is where a description may be fetched from: an absolute http or https
    /// URL with a host, printable ASCII, no user info and no fragment. Unlike a service URL it may have a
    /// query (<c>?wsdl</c>).
    /// </summary>
    public static string? CheckDescriptionUrl(string? url) =>
        CheckHttpUrl(url, "must not contain user info")
        ?? (url!.Contains('#', StringComparison.Ordinal) ? "must not have a fragment" : null);

    /// <summary>
    /// The checks every configured URL passes: non-empty, at most <see cref="MaxUrlLength"/> characters of
    /// printable ASCII, absolute http or https with a host, and no user info (<paramref name="userInfoProblem"/>).
    /// </summary>
    private static string? CheckHttpUrl(string? url, string userInfoProblem)
    {
        if (string.IsNullOrEmpty(url))
        {
            return "is empty";
        }

        if (url.Length > MaxUrlLength)
        {
            return $"is longer than {MaxUrlLength} characters";
        }

        foreach (var c in url)
        {
            if (c is <= ' ' or >= '\u007f')
            {
                return "must be printable ASCII without spaces (percent-encode other characters)";
            }
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "must be an absolute http or https URL";
        }

        if (uri.UserInfo.Length > 0 || url.AsSpan(0, AuthorityEnd(url)).Contains('@'))
        {
            return userInfoProblem;
        }

        return string.IsNullOrEmpty(uri.Host) ? "must name a host" : null;
    }

    /// <summary>Null when <paramref name="notice"/> has at most 255 characters and no control characters.</summary>
    public static string? CheckNotice(string notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.Length > MaxNoticeLength)
        {
            return $"is longer than {MaxNoticeLength} characters";
        }

        foreach (var c in notice)
        {
            if (char.IsControl(c))
            {
                return "must not contain control characters";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="service"/> is valid for <paramref name="owner"/>, otherwise why not.</summary>
    public static string? CheckService(SubsystemId owner, LocalService service)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(service);
        var problem = CheckServiceCode(owner, service.Code);
        if (problem is not null)
        {
            return problem;
        }

        var where = $"client {owner}, service '{service.Code}'";
        if (!Enum.IsDefined(service.Type))
        {
            return $"{where} has an unknown type";
        }

        if (service.Version is not null)
        {
            if (service.Type != ServiceType.Soap)
            {
                return $"{where}: only SOAP services have a version";
            }

            var versioned = ServiceId.TryParse($"{owner}/{service.Code}/{service.Version}");
            if (!versioned.Success || versioned.Value.ServiceVersion != service.Version)
            {
                return $"{where}: the version is invalid: {(versioned.Success ? "it must not contain '/'" : versioned.Message)}";
            }
        }

        if (service.DescriptionId is not null && CheckDescriptionId(service.DescriptionId) is { } badDescription)
        {
            return $"{where}: {badDescription}";
        }

        problem = CheckUrl(service.Url);
        if (problem is not null)
        {
            return $"{where}: url {problem}";
        }

        problem = CheckTimeout(service.ConnectTimeoutMs, "connectTimeoutMs")
            ?? CheckTimeout(service.ReadTimeoutMs, "readTimeoutMs")
            ?? CheckTimeout(service.TotalTimeoutMs, "totalTimeoutMs");
        if (problem is not null)
        {
            return $"{where}: {problem}";
        }

        for (var i = 0; i < service.Endpoints.Length; i++)
        {
            var endpoint = service.Endpoints[i];
            if (endpoint?.Path is null)
            {
                return $"{where}: endpoints[{i}] has no path";
            }

            if (CheckMethod(endpoint.Method) is { } bad)
            {
                return $"{where}: endpoints[{i}] {bad}";
            }
        }

        if (service.Type == ServiceType.Soap && !service.Endpoints.IsEmpty)
        {
            return $"{where}: a SOAP service has no method and path endpoints; leave endpoints empty";
        }

        for (var i = 0; i < service.AccessRights.Length; i++)
        {
            var right = service.AccessRights[i];
            if (right?.Subject is null)
            {
                return $"{where}: accessRights[{i}] has no subject";
            }

            if (service.Type == ServiceType.Soap && (right.Method is not null || right.Path is not null))
            {
                return $"{where}: accessRights[{i}] has a method or path, but a SOAP service is granted whole";
            }

            if (right.Method is not null && CheckMethod(right.Method) is { } bad)
            {
                return $"{where}: accessRights[{i}] {bad}";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="code"/> is a valid, unreserved service code of <paramref name="owner"/>.</summary>
    public static string? CheckServiceCode(SubsystemId owner, string? code)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (string.IsNullOrEmpty(code))
        {
            return $"client {owner}: a service has no code";
        }

        if (code.Contains('/', StringComparison.Ordinal))
        {
            return $"client {owner}: a service code must not contain '/'";
        }

        var parsed = ServiceId.TryParse($"{owner}/{code}");
        if (!parsed.Success)
        {
            return $"client {owner}: a service code is invalid: {parsed.Message}";
        }

        return ReservedServiceCodes.Contains(code)
            ? $"client {owner}: the service code '{code}' is reserved for a metaservice"
            : null;
    }

    /// <summary>
    /// Null when <paramref name="url"/> is an absolute http or https URL with a host, no user info, no query,
    /// no fragment, only printable ASCII, and a path that <see cref="RequestPathRules"/> accepts.
    /// </summary>
    public static string? CheckUrl(string? url)
    {
        if (CheckHttpUrl(url, "must not contain user info (credentials belong in the provider's own configuration)") is { } problem)
        {
            return problem;
        }

        if (url!.Contains('?', StringComparison.Ordinal) || url.Contains('#', StringComparison.Ordinal))
        {
            return "must not have a query or fragment; the request's own path and query are appended to it";
        }

        var path = url[AuthorityEnd(url)..];
        return RequestPathRules.Check(path) is { } pathProblem ? $"has a path the gateway would refuse: {pathProblem}" : null;
    }

    /// <summary>Null when <paramref name="valueMs"/> lies in 1 .. <see cref="MaxTimeoutMs"/>.</summary>
    public static string? CheckTimeout(int valueMs, string name) =>
        valueMs is > 0 and <= MaxTimeoutMs
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{name} must be between 1 and {MaxTimeoutMs} milliseconds");

    /// <summary>Null when <paramref name="method"/> is <c>*</c> or an upper-case HTTP method token such as <c>GET</c>.</summary>
    public static string? CheckMethod(string? method)
    {
        if (method == ServiceEndpoint.AnyMethod)
        {
            return null;
        }

        if (string.IsNullOrEmpty(method) || method.Length > MaxMethodLength || !char.IsAsciiLetterUpper(method[0]))
        {
            return "method must be '*' or an upper-case HTTP method such as GET";
        }

        foreach (var c in method)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c) && c is not ('-' or '_'))
            {
                return "method must be '*' or an upper-case HTTP method such as GET";
            }
        }

        return null;
    }

    /// <summary>True for 64 lowercase hex digits.</summary>
    public static bool IsSha256Hex(string? text)
    {
        if (text is null || text.Length != 64)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text of a service type in <c>serverconf.json</c>: <c>rest</c> or <c>soap</c>.</summary>
    public static string TypeText(ServiceType type) => type switch
    {
        ServiceType.Rest => "rest",
        ServiceType.Soap => "soap",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    // The index just past "scheme://authority": where the path starts.
    private static int AuthorityEnd(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return url.Length;
        }

        var slash = url.IndexOf('/', start + 3);
        return slash < 0 ? url.Length : slash;
    }
}

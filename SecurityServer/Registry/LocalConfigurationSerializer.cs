using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// The one reader and writer of <c>serverconf.json</c> (ISSUE4-CONTRACTS.md) and of the admin API's bodies,
/// which use the same objects. Reading is strict: a size cap, valid UTF-8 without a byte order mark, no
/// comments or trailing commas, bounded depth, no duplicate or unknown members, types checked, identifiers
/// parsed with <c>ExchangeGateway.Common.Identifiers</c>, then every rule of
/// <see cref="LocalConfigurationRules"/>. A failure names the first bad item (a JSON path, or the client
/// and service) and carries <c>server.malformed_server_conf</c>.
/// </summary>
/// <remarks>
/// Optional members and their defaults: <c>connectionType</c> <c>http</c>; <c>isCertificates</c>,
/// <c>services</c>, <c>endpoints</c>, <c>accessRights</c> empty; <c>type</c> <c>rest</c>; <c>enabled</c>,
/// <c>verifyTls</c>, <c>logBodies</c> true; timeouts 5000, 30000 and 60000 ms; an access right's
/// <c>method</c> and <c>path</c> absent (the whole service); a service's <c>version</c> and
/// <c>descriptionId</c> absent; a client's <c>descriptions</c> empty. The writer always writes every member
/// except an absent method, path, version, descriptionId or description member and an empty
/// <c>descriptions</c> or <c>localGroups</c> (so files without SOAP services, descriptions or local groups are written as before), two-space
/// indented, members in the contract's order, with a final newline.
/// </remarks>
public static class LocalConfigurationSerializer
{
    /// <summary>The largest <c>serverconf.json</c> read.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>The deepest nesting accepted; the format nests five levels.</summary>
    public const int MaxDepth = 16;

    private static readonly string MalformedCode = ErrorCode.Server(ErrorCatalog.MalformedServerConf).Value;

    private static readonly string[] RefreshedAtFormats = ["yyyy-MM-ddTHH:mm:ss.fffZ", "yyyy-MM-ddTHH:mm:ssZ"];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",

        // Identifiers may hold ' and +, which the default encoder escapes; the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads a whole <c>serverconf.json</c>.</summary>
    public static ParseResult<LocalConfiguration> Read(ReadOnlyMemory<byte> utf8) =>
        Parse(utf8, MaxBytes, "serverconf.json", root =>
        {
            var o = new StrictJsonObject(root, "$");
            var serverId = Identifier(o.Required("serverId"), o.At("serverId"), SecurityServerId.TryParse);
            var clients = o.Array("clients", required: true, ReadClient);
            o.End();
            var created = LocalConfiguration.TryCreate(serverId, clients);
            return created.Success ? created.Value : throw new LocalConfigurationFormatException(created.Message);
        });

    /// <summary>
    /// Reads an admin API body holding one service object as in <c>serverconf.json</c>. Its <c>code</c> may be
    /// left out; when present it must equal <paramref name="code"/>. Checked with <see cref="LocalConfigurationRules.CheckService"/>.
    /// </summary>
    public static ParseResult<LocalService> ReadService(ReadOnlyMemory<byte> utf8, int maxBytes, SubsystemId owner, string code)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(code);
        return Parse(utf8, maxBytes, "service", root =>
        {
            var service = ReadServiceObject(root, "$", code);
            return LocalConfigurationRules.CheckService(owner, service) is { } problem
                ? throw new LocalConfigurationFormatException(problem)
                : service;
        });
    }

    /// <summary>
    /// Reads an admin API body with a client's settings, <c>{"connectionType": …, "isCertificates": […]}</c>,
    /// as a client with that id and no services. Its <c>id</c> may be left out; when present it must equal <paramref name="id"/>.
    /// </summary>
    public static ParseResult<LocalClient> ReadClientSettings(ReadOnlyMemory<byte> utf8, int maxBytes, ClientId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Parse(utf8, maxBytes, "client", root =>
        {
            var o = new StrictJsonObject(root, "$");
            if (o.Optional("id") is { } given && Identifier(given, o.At("id"), ClientId.TryParse) != id)
            {
                throw new LocalConfigurationFormatException($"{o.At("id")} differs from the client in the path");
            }

            var client = new LocalClient
            {
                Id = id,
                ConnectionType = ReadConnectionType(o),
                IsCertificateHashes = [.. o.Array("isCertificates", required: false, StrictJsonObject.ReadString)],
            };
            o.End();
            return client;
        });
    }

    /// <summary>Reads an admin API body holding an array of access rights as in <c>serverconf.json</c>.</summary>
    public static ParseResult<ImmutableArray<AccessRight>> ReadAccessRights(ReadOnlyMemory<byte> utf8, int maxBytes) =>
        Parse(utf8, maxBytes, "access rights", root => StrictJsonObject.ReadArray(root, "$", ReadAccessRight).ToImmutableArray());

    /// <summary>
    /// Reads the admin API body that adds a client, <c>{"id": …, "connectionType": …, "isCertificates": […]}</c>
    /// (<c>id</c> required), as a client in state saved with no services.
    /// </summary>
    public static ParseResult<LocalClient> ReadNewClient(ReadOnlyMemory<byte> utf8, int maxBytes) =>
        Parse(utf8, maxBytes, "client", root =>
        {
            var o = new StrictJsonObject(root, "$");
            var client = new LocalClient
            {
                Id = Identifier(o.Required("id"), o.At("id"), ClientId.TryParse),
                ConnectionType = ReadConnectionType(o),
                IsCertificateHashes = [.. o.Array("isCertificates", required: false, StrictJsonObject.ReadString)],
            };
            o.End();
            return client;
        });

    /// <summary>
    /// Reads the admin API body that creates a local group of <paramref name="client"/>,
    /// <c>{"code": …, "description": …, "members": […]}</c> (members optional), checked with
    /// <see cref="LocalConfigurationRules.CheckLocalGroup"/>.
    /// </summary>
    public static ParseResult<LocalGroup> ReadLocalGroup(ReadOnlyMemory<byte> utf8, int maxBytes, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Parse(utf8, maxBytes, "local group", root =>
        {
            var group = ReadLocalGroupObject(root, "$");
            return LocalConfigurationRules.CheckLocalGroup(client, group) is { } problem
                ? throw new LocalConfigurationFormatException(problem)
                : group;
        });
    }

    /// <summary>Reads the admin API body that adds local group members, <c>{"members": [clientId, …]}</c> (at least one).</summary>
    public static ParseResult<ImmutableArray<ClientId>> ReadGroupMembers(ReadOnlyMemory<byte> utf8, int maxBytes) =>
        Parse(utf8, maxBytes, "members", root =>
        {
            var o = new StrictJsonObject(root, "$");
            var members = o.Array("members", required: true, (m, p) => Identifier(m, p, ClientId.TryParse));
            o.End();
            return members.Count == 0
                ? throw new LocalConfigurationFormatException("$.members must name at least one client")
                : members.ToImmutableArray();
        });

    /// <summary>One local group object as in the file (the admin API's representation).</summary>
    public static byte[] WriteLocalGroup(LocalGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Write(w => WriteLocalGroup(w, group));
    }

    /// <summary>An array of local group objects as in the file.</summary>
    public static byte[] WriteLocalGroups(IEnumerable<LocalGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return Write(w =>
        {
            w.WriteStartArray();
            foreach (var group in groups)
            {
                WriteLocalGroup(w, group);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The file bytes of <paramref name="configuration"/>: UTF-8, two-space indented, final newline.</summary>
    public static byte[] Write(LocalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("serverId", configuration.ServerId.ToString());
            w.WriteStartArray("clients");
            foreach (var client in configuration.Clients)
            {
                WriteClient(w, client);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>An array of client objects as in the file (the admin API's list).</summary>
    public static byte[] WriteClients(IEnumerable<LocalClient> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return Write(w =>
        {
            w.WriteStartArray();
            foreach (var client in clients)
            {
                WriteClient(w, client);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>One client object as in the file (the admin API's representation).</summary>
    public static byte[] WriteClient(LocalClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Write(w => WriteClient(w, client));
    }

    /// <summary>One service object as in the file (the admin API's representation).</summary>
    public static byte[] WriteService(LocalService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Write(w => WriteService(w, service));
    }

    /// <summary>One service description object as in the file (the admin API's representation).</summary>
    public static byte[] WriteDescription(ServiceDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return Write(w => WriteDescription(w, description));
    }

    /// <summary>The text of a description type: <c>wsdl</c> or <c>openapi3</c>.</summary>
    public static string DescriptionTypeText(ServiceDescriptionType type) => type switch
    {
        ServiceDescriptionType.Wsdl => "wsdl",
        ServiceDescriptionType.OpenApi3 => "openapi3",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The text of a connection type: <c>http</c>, <c>https</c> or <c>https-certificate</c>.</summary>
    public static string ConnectionTypeText(ConnectionType type) => type switch
    {
        ConnectionType.Http => "http",
        ConnectionType.Https => "https",
        ConnectionType.HttpsCertificate => "https-certificate",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(w);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteClient(Utf8JsonWriter w, LocalClient client)
    {
        w.WriteStartObject();
        w.WriteString("id", client.Id.ToString());
        w.WriteString("connectionType", ConnectionTypeText(client.ConnectionType));
        w.WriteStartArray("isCertificates");
        foreach (var hash in client.IsCertificateHashes)
        {
            w.WriteStringValue(hash);
        }

        w.WriteEndArray();
        w.WriteStartArray("services");
        foreach (var service in client.Services)
        {
            WriteService(w, service);
        }

        w.WriteEndArray();
        if (!client.Descriptions.IsEmpty)
        {
            w.WriteStartArray("descriptions");
            foreach (var description in client.Descriptions)
            {
                WriteDescription(w, description);
            }

            w.WriteEndArray();
        }

        if (!client.LocalGroups.IsEmpty)
        {
            w.WriteStartArray("localGroups");
            foreach (var group in client.LocalGroups)
            {
                WriteLocalGroup(w, group);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteLocalGroup(Utf8JsonWriter w, LocalGroup group)
    {
        w.WriteStartObject();
        w.WriteString("code", group.Code);
        w.WriteString("description", group.Description);
        w.WriteStartArray("members");
        foreach (var member in group.Members)
        {
            w.WriteStringValue(member.ToString());
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static LocalGroup ReadLocalGroupObject(JsonElement e, string path)
    {
        var o = new StrictJsonObject(e, path);
        var group = new LocalGroup
        {
            Code = o.String("code"),
            Description = o.String("description"),
            Members = [.. o.Array("members", required: false, (m, p) => Identifier(m, p, ClientId.TryParse))],
        };
        o.End();
        return group;
    }

    private static void WriteDescription(Utf8JsonWriter w, ServiceDescription d)
    {
        w.WriteStartObject();
        w.WriteString("id", d.Id);
        w.WriteString("type", DescriptionTypeText(d.Type));
        WriteOptionalString(w, "source", d.Source);
        WriteOptionalString(w, "serviceCode", d.ServiceCode);
        WriteOptionalString(w, "serviceUrl", d.ServiceUrl);
        w.WriteBoolean("disabled", d.Disabled);
        WriteOptionalString(w, "disabledNotice", d.DisabledNotice);
        w.WriteString("refreshedAt", d.RefreshedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        w.WriteString("documentSha256", d.DocumentSha256);
        w.WriteEndObject();
    }

    private static void WriteOptionalString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteService(Utf8JsonWriter w, LocalService s)
    {
        w.WriteStartObject();
        w.WriteString("code", s.Code);
        WriteOptionalString(w, "version", s.Version);
        w.WriteString("type", LocalConfigurationRules.TypeText(s.Type));
        WriteOptionalString(w, "descriptionId", s.DescriptionId);
        w.WriteString("url", s.Url);
        w.WriteBoolean("enabled", s.Enabled);
        w.WriteNumber("connectTimeoutMs", s.ConnectTimeoutMs);
        w.WriteNumber("readTimeoutMs", s.ReadTimeoutMs);
        w.WriteNumber("totalTimeoutMs", s.TotalTimeoutMs);
        w.WriteBoolean("verifyTls", s.VerifyTls);
        w.WriteBoolean("logBodies", s.LogBodies);
        w.WriteStartArray("endpoints");
        foreach (var e in s.Endpoints)
        {
            w.WriteStartObject();
            w.WriteString("method", e.Method);
            w.WriteString("path", e.Path.Text);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("accessRights");
        foreach (var r in s.AccessRights)
        {
            w.WriteStartObject();
            w.WriteString("subject", r.Subject.ToString());
            if (r.Method is not null)
            {
                w.WriteString("method", r.Method);
            }

            if (r.Path is not null)
            {
                w.WriteString("path", r.Path.Text);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static ParseResult<T> Parse<T>(ReadOnlyMemory<byte> utf8, int maxBytes, string what, Func<JsonElement, T> read)
        where T : notnull
    {
        if (utf8.Length > maxBytes)
        {
            return Fail<T>($"the {what} is {utf8.Length} bytes, more than the limit of {maxBytes}");
        }

        if (utf8.Span.StartsWith("\uFEFF"u8))
        {
            return Fail<T>($"the {what} starts with a byte order mark; save it as UTF-8 without one");
        }

        if (!Utf8.IsValid(utf8.Span))
        {
            return Fail<T>($"the {what} is not valid UTF-8");
        }

        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions
            {
                MaxDepth = MaxDepth,
                AllowTrailingCommas = false,
                CommentHandling = JsonCommentHandling.Disallow,
            });
            return ParseResult<T>.Ok(read(document.RootElement));
        }
        catch (JsonException ex)
        {
            // The parser's message names a line and byte position, never the input's text.
            return Fail<T>($"the {what} is not valid JSON: {ex.Message}");
        }
        catch (LocalConfigurationFormatException ex)
        {
            return Fail<T>($"the {what} is invalid: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // E.g. an escaped unpaired surrogate, which has no string form.
            return Fail<T>($"the {what} is invalid: {ex.Message}");
        }
    }

    private static ParseResult<T> Fail<T>(string message)
        where T : notnull =>
        ParseResult<T>.Fail(MalformedCode, message);

    private static LocalClient ReadClient(JsonElement e, string path)
    {
        var o = new StrictJsonObject(e, path);
        var id = Identifier(o.Required("id"), o.At("id"), ClientId.TryParse);
        var connectionType = ReadConnectionType(o);
        var hashes = o.Array("isCertificates", required: false, StrictJsonObject.ReadString);
        var services = o.Array("services", required: false, (s, p) => ReadServiceObject(s, p, expectedCode: null));
        var descriptions = o.Array("descriptions", required: false, ReadDescription);
        var localGroups = o.Array("localGroups", required: false, ReadLocalGroupObject);
        o.End();
        return new LocalClient
        {
            Id = id,
            ConnectionType = connectionType,
            IsCertificateHashes = [.. hashes],
            Services = [.. services],
            Descriptions = [.. descriptions],
            LocalGroups = [.. localGroups],
        };
    }

    private static ServiceDescription ReadDescription(JsonElement e, string path)
    {
        var o = new StrictJsonObject(e, path);
        var id = o.String("id");
        var type = o.String("type") switch
        {
            "wsdl" => ServiceDescriptionType.Wsdl,
            "openapi3" => ServiceDescriptionType.OpenApi3,
            _ => throw new LocalConfigurationFormatException($"{o.At("type")} must be wsdl or openapi3"),
        };
        var source = o.OptionalString("source");
        var serviceCode = o.OptionalString("serviceCode");
        var serviceUrl = o.OptionalString("serviceUrl");
        var disabled = o.Boolean("disabled", false);
        var notice = o.OptionalString("disabledNotice");
        var refreshedText = o.String("refreshedAt");
        if (!DateTimeOffset.TryParseExact(refreshedText, RefreshedAtFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var refreshedAt))
        {
            throw new LocalConfigurationFormatException($"{o.At("refreshedAt")} must be a UTC time such as 2025-01-31T12:00:00.000Z");
        }

        var sha = o.String("documentSha256");
        o.End();
        return new ServiceDescription
        {
            Id = id,
            Type = type,
            Source = source,
            ServiceCode = serviceCode,
            ServiceUrl = serviceUrl,
            Disabled = disabled,
            DisabledNotice = notice,
            RefreshedAt = refreshedAt,
            DocumentSha256 = sha,
        };
    }

    private static ConnectionType ReadConnectionType(StrictJsonObject o) => o.OptionalString("connectionType") switch
    {
        null or "http" => ConnectionType.Http,
        "https" => ConnectionType.Https,
        "https-certificate" => ConnectionType.HttpsCertificate,
        _ => throw new LocalConfigurationFormatException($"{o.At("connectionType")} must be http, https or https-certificate"),
    };

    private static LocalService ReadServiceObject(JsonElement e, string path, string? expectedCode)
    {
        var o = new StrictJsonObject(e, path);
        string code;
        if (expectedCode is null)
        {
            code = o.String("code");
        }
        else
        {
            code = o.OptionalString("code") ?? expectedCode;
            if (!string.Equals(code, expectedCode, StringComparison.Ordinal))
            {
                throw new LocalConfigurationFormatException($"{o.At("code")} differs from the service code in the path");
            }
        }

        var version = o.OptionalString("version");
        var type = o.OptionalString("type") switch
        {
            null or "rest" => ServiceType.Rest,
            "soap" => ServiceType.Soap,
            _ => throw new LocalConfigurationFormatException($"{o.At("type")} must be rest or soap"),
        };
        var service = new LocalService
        {
            Code = code,
            Version = version,
            Type = type,
            DescriptionId = o.OptionalString("descriptionId"),
            Url = o.String("url"),
            Enabled = o.Boolean("enabled", true),
            ConnectTimeoutMs = o.Integer("connectTimeoutMs", LocalService.DefaultConnectTimeoutMs),
            ReadTimeoutMs = o.Integer("readTimeoutMs", LocalService.DefaultReadTimeoutMs),
            TotalTimeoutMs = o.Integer("totalTimeoutMs", LocalService.DefaultTotalTimeoutMs),
            VerifyTls = o.Boolean("verifyTls", true),
            LogBodies = o.Boolean("logBodies", true),
            Endpoints = [.. o.Array("endpoints", required: false, ReadEndpoint)],
            AccessRights = [.. o.Array("accessRights", required: false, ReadAccessRight)],
        };
        o.End();
        return service;
    }

    private static ServiceEndpoint ReadEndpoint(JsonElement e, string path)
    {
        var o = new StrictJsonObject(e, path);
        var method = Method(o.String("method"), o.At("method"));
        var glob = Glob(o.String("path"), o.At("path"));
        o.End();
        return new ServiceEndpoint(method, glob);
    }

    private static AccessRight ReadAccessRight(JsonElement e, string path)
    {
        var o = new StrictJsonObject(e, path);
        var subject = Identifier(o.Required("subject"), o.At("subject"), AccessSubject.TryParse);
        var method = o.OptionalString("method") is { } m ? Method(m, o.At("method")) : null;
        var glob = o.OptionalString("path") is { } p ? Glob(p, o.At("path")) : null;
        o.End();
        return new AccessRight(subject, method, glob);
    }

    private static string Method(string method, string path) =>
        LocalConfigurationRules.CheckMethod(method) is { } problem ? throw new LocalConfigurationFormatException($"{path}: {problem}") : method;

    private static PathGlob Glob(string text, string path)
    {
        var glob = PathGlob.TryParse(text);
        return glob.Success ? glob.Value : throw new LocalConfigurationFormatException($"{path}: {glob.Message}");
    }

    private static T Identifier<T>(JsonElement e, string path, Func<string, ParseResult<T>> parse)
        where T : notnull
    {
        var result = parse(StrictJsonObject.ReadString(e, path));
        return result.Success ? result.Value : throw new LocalConfigurationFormatException($"{path}: {result.Message}");
    }
}

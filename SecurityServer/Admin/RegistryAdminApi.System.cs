using System.Globalization;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Model;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Tokens;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The server-wide endpoints: initialisation, the server's identity, address and owner, the anchor, the
/// time-stamping services, the management requests sent, the audit log and the message log's status.
/// </summary>
public static partial class RegistryAdminApi
{
    /// <summary>The file in which onboarding keeps the management requests it sent.</summary>
    public const string ManagementRequestsFileName = "management-requests.json";

    private const int DefaultAuditRead = 100;
    private const int MaxAddressLength = 255;
    private const int MaxManagementRequestsBytes = 16 * 1024 * 1024;

    private static void MapSystem(RouteGroupBuilder api)
    {
        api.MapGet("/initialisation", GetInitialisation).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "initialisation.read"));
        api.MapPost("/initialisation", Initialise).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "initialisation.create"));
        api.MapGet("/system/server", GetServer).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "system.server.read"));
        api.MapPut("/system/address", ChangeAddress).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "system.address.change"));
        api.MapPut("/system/owner", ChangeOwner).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "system.owner.change"));
        api.MapGet("/system/anchor", GetAnchor).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "anchor.read"));
        api.MapGet("/system/anchor/download", DownloadAnchor).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "anchor.download"));
        api.MapPut("/system/anchor", ReplaceAnchor).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "anchor.replace"));
        api.MapGet("/timestamping-services/approved", ListApprovedTsas).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "tsa.approved.list"));
        api.MapGet("/system/timestamping-services", ListSelectedTsas).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "tsa.list"));
        api.MapPost("/system/timestamping-services", AddTsa).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "tsa.add"));
        api.MapDelete("/system/timestamping-services/{name}", RemoveTsa).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "tsa.remove"));
        api.MapGet("/management-requests", ListManagementRequests).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "management-request.list"));
        api.MapGet("/audit-log", ReadAuditLog).WithMetadata(new AdminAccess(AdminPermission.ReadAudit, "audit-log.read"));
        api.MapGet("/message-log/status", MessageLogStatus).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.status"));
    }

    private static IResult GetInitialisation(HttpContext context, LocalConfigurationStore store)
    {
        var token = context.RequestServices.GetService<SoftwareToken>();
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("initialised", store.Current is not null);
            WriteNullableString(w, "serverId", store.Current?.ServerId.ToString());
            WriteNullableString(w, "tokenStatus", token is null ? null : TokenStatusText(token.Status));
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Initialise(HttpContext context, LocalConfigurationStore store)
    {
        var (request, failure) = await ReadJsonAsync<InitialisationRequest>(context, """{"ownerMemberId": "INSTANCE/CLASS/CODE", "serverCode": "…", "pin": "…"}""").ConfigureAwait(false);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        if (store.Current is not null || File.Exists(store.FilePath))
        {
            return AlreadyInitialised(store).ToResult();
        }

        var owner = MemberId.TryParse(request!.OwnerMemberId);
        if (!owner.Success)
        {
            return new AdminFailure(AdminFailureKind.InvalidIdentifier, $"ownerMemberId: {owner.Message}").ToResult();
        }

        SecurityServerId serverId;
        try
        {
            serverId = new SecurityServerId(owner.Value, request.ServerCode);
        }
        catch (ArgumentException ex)
        {
            return new AdminFailure(AdminFailureKind.InvalidIdentifier, $"serverCode: {ex.Message}").ToResult();
        }

        if (context.RequestServices.GetService<ConfigurationClient>() is { } configuration
            && !string.Equals(configuration.Anchor.InstanceId, serverId.Owner.Instance, StringComparison.Ordinal))
        {
            return Invalid($"The owner is in instance {serverId.Owner.Instance}, but the anchor is for instance {configuration.Anchor.InstanceId}.").ToResult();
        }

        var (token, tokenFailure) = Optional<SoftwareToken>(context, "a key token");
        if (tokenFailure is not null)
        {
            return tokenFailure.ToResult();
        }

        // The token first: a PIN the policy refuses leaves no serverconf.json behind. A token initialised by an
        // earlier attempt that could not write serverconf.json is reused when the PIN opens it.
        var opened = token!.Status == TokenStatus.Uninitialised ? token.Initialise(request.Pin) : token.Login(request.Pin);
        if (!opened.Success)
        {
            return Failed(opened).ToResult();
        }

        try
        {
            if (!store.CreateIfAbsent(LocalConfiguration.Empty(serverId)))
            {
                return AlreadyInitialised(store).ToResult();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AdminLog.WriteFailed(context.RequestServices.GetRequiredService<ILogger<LocalConfigurationStore>>(), ex, "initialisation.create", serverId.ToString());
            return new AdminFailure(AdminFailureKind.WriteFailed, "serverconf.json could not be written; the server is not initialised.").ToResult();
        }

        context.Response.Headers.Location = Prefix + "/initialisation";
        return WrittenJson(
            w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("initialised", true);
                w.WriteString("serverId", serverId.ToString());
                w.WriteString("tokenStatus", TokenStatusText(token.Status));
                w.WriteEndObject();
            },
            StatusCodes.Status201Created);
    }

    private static IResult GetServer(HttpContext context, LocalConfigurationStore store, IOptions<SecurityServerOptions> options)
    {
        if (store.Current is not { } local)
        {
            return ServerNotInitialised().ToResult();
        }

        var registered = context.RequestServices.GetService<ConfigurationClient>()?.Current?.FindSecurityServer(local.ServerId);
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("serverId", local.ServerId.ToString());
            w.WriteString("owner", local.Owner.ToString());
            w.WriteString("address", registered?.Address ?? options.Value.PublicAddress);
            WriteNullableString(w, "registeredAddress", registered?.Address);
            w.WriteString("configuredAddress", options.Value.PublicAddress);
            w.WriteString("instance", local.ServerId.Owner.Instance);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> ChangeAddress(HttpContext context, LocalConfigurationStore store)
    {
        var (request, failure) = await ReadJsonAsync<AddressRequest>(context, """{"address": "host[:port]"}""").ConfigureAwait(false);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        if (string.IsNullOrWhiteSpace(request!.Address) || request.Address.Length > MaxAddressLength
            || request.Address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '?' or '#' or '@'))
        {
            return Invalid($"address must be host[:port], 1 to {MaxAddressLength} characters, without spaces, '/', '?', '#' or '@'.").ToResult();
        }

        if (store.Current is null)
        {
            return ServerNotInitialised().ToResult();
        }

        var (onboarding, missing) = Optional<IOnboarding>(context, "onboarding");
        return missing is not null
            ? missing.ToResult()
            : Accepted(await onboarding!.ChangeAddressAsync(request.Address, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> ChangeOwner(HttpContext context, LocalConfigurationStore store)
    {
        var (request, failure) = await ReadJsonAsync<OwnerRequest>(context, """{"memberId": "INSTANCE/CLASS/CODE"}""").ConfigureAwait(false);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var member = MemberId.TryParse(request!.MemberId);
        if (!member.Success)
        {
            return new AdminFailure(AdminFailureKind.InvalidIdentifier, $"memberId: {member.Message}").ToResult();
        }

        if (store.Current is not { } local)
        {
            return ServerNotInitialised().ToResult();
        }

        if (member.Value == local.Owner)
        {
            return Invalid($"{member.Value} owns this server already.").ToResult();
        }

        var (onboarding, missing) = Optional<IOnboarding>(context, "onboarding");
        return missing is not null
            ? missing.ToResult()
            : Accepted(await onboarding!.ChangeOwnerAsync(member.Value, context.RequestAborted).ConfigureAwait(false));
    }

    private static IResult GetAnchor(IOptions<SecurityServerOptions> options)
    {
        var (anchor, bytes, failure) = ReadAnchorFile(options.Value.AnchorPath);
        return failure is not null ? failure.ToResult() : AnchorJson(anchor!, bytes!, File.GetLastWriteTimeUtc(options.Value.AnchorPath));
    }

    private static IResult DownloadAnchor(IOptions<SecurityServerOptions> options)
    {
        var (_, bytes, failure) = ReadAnchorFile(options.Value.AnchorPath);
        return failure is not null
            ? failure.ToResult()
            : Results.File(bytes!, JsonType, "configuration-anchor.json");
    }

    private static async Task<IResult> ReplaceAnchor(HttpContext context, IOptions<SecurityServerOptions> options)
    {
        var (body, _, failure) = await AdminBody.ReadRawAsync(context, ConfigurationAnchorSerializer.MaxBytes, JsonType).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var uploaded = ConfigurationAnchorSerializer.Read(body);
        if (!uploaded.Success)
        {
            return new AdminFailure(AdminFailureKind.AnchorInvalid, $"The anchor does not read: {uploaded.Message}").ToResult();
        }

        var path = options.Value.AnchorPath;
        var (current, _, currentFailure) = ReadAnchorFile(path);
        if (currentFailure is not null)
        {
            return currentFailure.ToResult();
        }

        if (!string.Equals(uploaded.Value.InstanceId, current!.InstanceId, StringComparison.Ordinal))
        {
            return new AdminFailure(AdminFailureKind.AnchorWrongInstance, $"The anchor is for instance {uploaded.Value.InstanceId}; this server is in {current.InstanceId}.").ToResult();
        }

        try
        {
            AtomicFile.Write(path, body);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AdminLog.WriteFailed(context.RequestServices.GetRequiredService<ILogger<LocalConfigurationStore>>(), ex, "anchor.replace", path);
            return new AdminFailure(AdminFailureKind.WriteFailed, "The anchor file could not be written; nothing changed.").ToResult();
        }

        context.RequestServices.GetService<ConfigurationClient>()?.ReplaceAnchor(uploaded.Value);
        return AnchorJson(uploaded.Value, body!, File.GetLastWriteTimeUtc(path));
    }

    private static IResult ListApprovedTsas(HttpContext context)
    {
        var (configuration, failure) = GlobalConfigurationOrFailure(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        return WrittenJson(w =>
        {
            w.WriteStartArray();
            foreach (var tsa in configuration!.ApprovedTsas)
            {
                w.WriteStartObject();
                w.WriteString("name", tsa.Name);
                w.WriteString("url", tsa.Url);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static IResult ListSelectedTsas(HttpContext context, TimestampingSelection selection)
    {
        var configuration = context.RequestServices.GetService<ConfigurationClient>()?.Current;
        return WrittenJson(w =>
        {
            w.WriteStartArray();
            foreach (var name in selection.Names)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                WriteNullableString(w, "url", configuration?.FindTsa(name)?.Url);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static async Task<IResult> AddTsa(HttpContext context, TimestampingSelection selection)
    {
        var (request, failure) = await ReadJsonAsync<TsaRequest>(context, """{"name": "…"}""").ConfigureAwait(false);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        if (!TimestampingSelection.IsValidName(request!.Name))
        {
            return Invalid($"name must be 1 to {TimestampingSelection.MaxNameLength} characters without control characters.").ToResult();
        }

        var (configuration, confFailure) = GlobalConfigurationOrFailure(context);
        if (confFailure is not null)
        {
            return confFailure.ToResult();
        }

        if (configuration!.FindTsa(request.Name) is not { } tsa)
        {
            return new AdminFailure(AdminFailureKind.NotFound, "The global configuration approves no time-stamping service of this name.").ToResult();
        }

        try
        {
            if (!selection.Add(tsa.Name))
            {
                return new AdminFailure(AdminFailureKind.Conflict, "This time-stamping service is selected already.").ToResult();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new AdminFailure(AdminFailureKind.WriteFailed, "The selection could not be written; nothing changed.").ToResult();
        }

        context.Response.Headers.Location = $"{Prefix}/system/timestamping-services/{Uri.EscapeDataString(tsa.Name)}";
        return Results.Json(new { name = tsa.Name, url = tsa.Url }, Json, statusCode: StatusCodes.Status201Created);
    }

    private static IResult RemoveTsa(HttpContext context, TimestampingSelection selection)
    {
        var (name, failure) = AdminPath.Read(context, "name");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        try
        {
            return selection.Remove(name!)
                ? Results.NoContent()
                : new AdminFailure(AdminFailureKind.NotFound, "No selected time-stamping service has this name.").ToResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new AdminFailure(AdminFailureKind.WriteFailed, "The selection could not be written; nothing changed.").ToResult();
        }
    }

    /// <summary>The management requests onboarding recorded (its file, passed through once it parses as JSON); an empty array before the first.</summary>
    private static IResult ListManagementRequests(IOptions<ServiceRegistryOptions> options)
    {
        var path = Path.Combine(options.Value.DataDirectory!, ManagementRequestsFileName);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return JsonBytes("[]"u8.ToArray());
        }

        if (info.Length > MaxManagementRequestsBytes)
        {
            return new AdminFailure(AdminFailureKind.Unavailable, $"{ManagementRequestsFileName} is larger than {MaxManagementRequestsBytes} bytes.").ToResult();
        }

        try
        {
            var bytes = File.ReadAllBytes(path);
            using var document = JsonDocument.Parse(bytes);
            return JsonBytes(bytes);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return new AdminFailure(AdminFailureKind.Unavailable, $"{ManagementRequestsFileName} cannot be read.").ToResult();
        }
    }

    private static IResult ReadAuditLog(HttpContext context, AdminAuditLog audit)
    {
        var limit = DefaultAuditRead;
        if (context.Request.Query.TryGetValue("limit", out var text)
            && (text.Count != 1 || !int.TryParse(text[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > AdminAuditLog.MaxRead))
        {
            return Invalid($"limit must be an integer from 1 to {AdminAuditLog.MaxRead}.").ToResult();
        }

        var entries = audit.ReadLast(limit);
        return WrittenJson(w =>
        {
            w.WriteStartArray();
            foreach (var entry in entries)
            {
                AdminAuditLog.Write(w, entry);
            }

            w.WriteEndArray();
        });
    }

    private static IResult MessageLogStatus(HttpContext context)
    {
        var (log, failure) = Optional<MessageLogStore>(context, "a message log (the server is not initialised)");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var status = log!.GetTimeStampingStatus();
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("records", status.Committed);
            w.WriteNumber("backlog", status.Backlog);
            WriteNullableTime(w, "oldestUnstampedAt", status.OldestUnstampedAt);
            WriteCheckpoint(w, "lastCheckpoint", status.LastCheckpoint);
            WriteCheckpoint(w, "lastStampedCheckpoint", status.LastStampedCheckpoint);
            w.WriteNumber("timeStampFailurePeriodSeconds", (long)status.Period.TotalSeconds);
            w.WriteBoolean("withinPeriod", status.IsWithinPeriod);
            w.WriteEndObject();
        });
    }

    private static void WriteCheckpoint(Utf8JsonWriter w, string name, CheckpointStatus? checkpoint)
    {
        if (checkpoint is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteNumber("treeSize", checkpoint.TreeSize);
        w.WriteString("createdAt", checkpoint.CreatedAt.ToUniversalTime());
        WriteNullableTime(w, "stampedAt", checkpoint.StampedAt);
        w.WriteEndObject();
    }

    private static (ConfigurationAnchor? Anchor, byte[]? Bytes, AdminFailure? Failure) ReadAnchorFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, null, new AdminFailure(AdminFailureKind.Unavailable, "The anchor file cannot be read."));
        }

        var anchor = ConfigurationAnchorSerializer.Read(bytes);
        return anchor.Success
            ? (anchor.Value, bytes, null)
            : (null, null, new AdminFailure(AdminFailureKind.AnchorInvalid, $"The installed anchor does not read: {anchor.Message}"));
    }

    private static IResult AnchorJson(ConfigurationAnchor anchor, byte[] bytes, DateTime savedAt) => WrittenJson(w =>
    {
        w.WriteStartObject();
        w.WriteString("instance", anchor.InstanceId);
        w.WriteString("sha256", ConfigurationAnchorSerializer.Sha256Hex(bytes));
        w.WriteString("savedAt", new DateTimeOffset(DateTime.SpecifyKind(savedAt, DateTimeKind.Utc)));
        w.WriteStartArray("urls");
        foreach (var url in anchor.DownloadUrls)
        {
            w.WriteStringValue(url);
        }

        w.WriteEndArray();
        w.WriteNumber("certificates", anchor.Certificates.Count);
        w.WriteEndObject();
    });

    /// <summary>The held global configuration, expired or not (the admin shows what it has); 503 when there is none yet.</summary>
    private static (GlobalConfiguration? Configuration, AdminFailure? Failure) GlobalConfigurationOrFailure(HttpContext context)
    {
        var (client, failure) = Optional<ConfigurationClient>(context, "a configuration client");
        if (failure is not null)
        {
            return (null, failure);
        }

        return client!.Current is { } configuration
            ? (configuration, null)
            : (null, AdminFailure.Delegated("onboarding.no_global_configuration", "No global configuration has been downloaded yet."));
    }

    private static string TokenStatusText(TokenStatus status) => status switch
    {
        TokenStatus.Uninitialised => "uninitialised",
        TokenStatus.LoggedOut => "logged-out",
        TokenStatus.LoggedIn => "logged-in",
        TokenStatus.LockedOut => "locked-out",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static AdminFailure AlreadyInitialised(LocalConfigurationStore store) =>
        new(AdminFailureKind.AlreadyInitialised, $"The server is initialised already ({Path.GetFileName(store.FilePath)} exists).");

    private static AdminFailure ServerNotInitialised() =>
        new(AdminFailureKind.ServerNotInitialised, "The server is not initialised; POST /api/v1/initialisation first.");

    /// <summary>The body of <c>POST /initialisation</c>.</summary>
    private sealed record InitialisationRequest(string OwnerMemberId, string ServerCode, string Pin);

    /// <summary>The body of <c>PUT /system/address</c>.</summary>
    private sealed record AddressRequest(string Address);

    /// <summary>The body of <c>PUT /system/owner</c>.</summary>
    private sealed record OwnerRequest(string MemberId);

    /// <summary>The body of <c>POST /system/timestamping-services</c>.</summary>
    private sealed record TsaRequest(string Name);
}

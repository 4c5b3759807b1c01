using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The minimal admin API of the security server under <c>/api/v1</c>: clients, services and access rights
/// (changed through <see cref="LocalConfigurationStore.Update{T}"/>, so the file and the live snapshot
/// change together), and API keys (loopback only). Every endpoint needs an API key
/// (<c>Authorization: X-Api-Key {key}</c>); errors are problem details with a stable <c>code</c>.
/// Identifiers in paths are one percent-encoded segment: <c>/api/v1/clients/DEV%2FGOV%2F70000001%2Fconsumer</c>.
/// </summary>
public static partial class RegistryAdminApi
{
    /// <summary>The path prefix.</summary>
    public const string Prefix = "/api/v1";

    private const string JsonType = "application/json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 8,
    };

    /// <summary>
    /// Maps the admin endpoints. Needs <see cref="ServiceRegistryServiceCollectionExtensions.AddServiceRegistry"/>.
    /// Map it only on the loopback admin listener (<c>SecurityServer:AdminUrl</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapRegistryAdminApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Prefix + "/openapi.json", OpenApiDocument);
        var api = endpoints.MapGroup(Prefix).AddEndpointFilter<AdminApiKeyFilter>();

        api.MapGet("/clients", ListClients).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "client.list"));
        api.MapGet("/clients/{clientId}", GetClient).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "client.read"));
        api.MapPut("/clients/{clientId}", PutClient).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.put"));
        api.MapDelete("/clients/{clientId}", DeleteClient).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.delete"));

        api.MapGet("/clients/{clientId}/services/{serviceCode}", GetService).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "service.read"));
        api.MapPut("/clients/{clientId}/services/{serviceCode}", PutService).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "service.put"));
        api.MapDelete("/clients/{clientId}/services/{serviceCode}", DeleteService).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "service.delete"));
        api.MapPut("/clients/{clientId}/services/{serviceCode}/access-rights", PutAccessRights).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "access-rights.put"));

        MapServiceDescriptions(api);
        MapClients(api);
        MapLocalGroups(api);
        MapSystem(api);
        MapMessageLog(api);
        MapAuditing(api);
        MapEvidence(api);
        MapMessageLogRetention(api);
        MapTokens(api);
        MapDiagnostics(api);
        MapBackups(api);

        api.MapGet("/api-keys", ListKeys).WithMetadata(new AdminAccess(AdminPermission.ManageApiKeys, "api-key.list", LoopbackOnly: true));
        api.MapPost("/api-keys", CreateKey).WithMetadata(new AdminAccess(AdminPermission.ManageApiKeys, "api-key.create", LoopbackOnly: true));
        api.MapDelete("/api-keys/{keyId}", RevokeKey).WithMetadata(new AdminAccess(AdminPermission.ManageApiKeys, "api-key.revoke", LoopbackOnly: true));
        return endpoints;
    }

    private static IResult ListClients(LocalConfigurationStore store)
    {
        if (store.Current is not { } local)
        {
            return NotInitialised(store).ToResult();
        }

        return JsonBytes(LocalConfigurationSerializer.WriteClients(local.Clients));
    }

    private static IResult GetClient(HttpContext context, LocalConfigurationStore store)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        if (store.Current is not { } local)
        {
            return NotInitialised(store).ToResult();
        }

        return local.FindClient(id!) is { } client
            ? JsonBytes(LocalConfigurationSerializer.WriteClient(client))
            : NoClient(id!).ToResult();
    }

    private static async Task<IResult> PutClient(HttpContext context, LocalConfigurationStore store)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (body, bodyFailure) = await AdminBody.ReadAsync(context).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var settings = LocalConfigurationSerializer.ReadClientSettings(body!, AdminBody.MaxBytes(context), id!);
        if (!settings.Success)
        {
            return Invalid(settings.Message).ToResult();
        }

        return Change(context, store, "client.put", id!.ToString(), local =>
        {
            var existing = local.FindClient(id);
            var client = settings.Value with { Status = existing?.Status ?? ClientStatus.Saved, Services = existing?.Services ?? [], Descriptions = existing?.Descriptions ?? [], LocalGroups = existing?.LocalGroups ?? [] };
            var next = local.WithClient(client);
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(
                    JsonBytes(LocalConfigurationSerializer.WriteClient(client), existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK),
                    existing is null ? ClientLocation(id) : null))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static IResult DeleteClient(HttpContext context, LocalConfigurationStore store)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        return Change(context, store, "client.delete", id!.ToString(), local =>
        {
            var existing = local.FindClient(id);
            if (existing is null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id)));
            }

            if (!existing.Services.IsEmpty)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(new AdminFailure(
                    AdminFailureKind.InUse,
                    string.Create(CultureInfo.InvariantCulture, $"Client {id} still offers {existing.Services.Length} services; delete them first."))));
            }

            return LocalConfigurationChange.Commit(local.WithoutClient(id), Outcome.Ok(Results.NoContent()));
        });
    }

    private static IResult GetService(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadServiceAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        if (store.Current is not { } local)
        {
            return NotInitialised(store).ToResult();
        }

        var client = local.FindClient(id!);
        if (client is null)
        {
            return NoClient(id!).ToResult();
        }

        return client.FindService(code!) is { } service
            ? JsonBytes(LocalConfigurationSerializer.WriteService(service))
            : NoService(id!, code!).ToResult();
    }

    private static async Task<IResult> PutService(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadServiceAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (body, bodyFailure) = await AdminBody.ReadAsync(context).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var service = LocalConfigurationSerializer.ReadService(body!, AdminBody.MaxBytes(context), id!.AsSubsystem()!, code!);
        if (!service.Success)
        {
            return Invalid(service.Message).ToResult();
        }

        return Change(context, store, "service.put", $"{id}/{code}", local =>
        {
            var client = local.FindClient(id);
            if (client is null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id)));
            }

            var created = client.FindService(code!) is null;
            var next = local.WithClient(client.WithService(service.Value));
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(
                    JsonBytes(LocalConfigurationSerializer.WriteService(service.Value), created ? StatusCodes.Status201Created : StatusCodes.Status200OK),
                    created ? ServiceLocation(id, code!) : null))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static IResult DeleteService(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadServiceAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        return Change(context, store, "service.delete", $"{id}/{code}", local =>
        {
            var client = local.FindClient(id!);
            if (client is null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id!)));
            }

            if (client.FindService(code!) is null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoService(id!, code!)));
            }

            var next = local.WithClient(client.WithoutService(code!));
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(Results.NoContent()))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static async Task<IResult> PutAccessRights(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadServiceAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (body, bodyFailure) = await AdminBody.ReadAsync(context).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var rights = LocalConfigurationSerializer.ReadAccessRights(body!, AdminBody.MaxBytes(context));
        if (!rights.Success)
        {
            return Invalid(rights.Message).ToResult();
        }

        return Change(context, store, "access-rights.put", $"{id}/{code}", local =>
        {
            var client = local.FindClient(id!);
            if (client is null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id!)));
            }

            if (client.FindService(code!) is not { } service)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoService(id!, code!)));
            }

            var changed = service with { AccessRights = rights.Value };
            var next = local.WithClient(client.WithService(changed));
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(JsonBytes(LocalConfigurationSerializer.WriteService(changed))))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static IResult ListKeys(AdminApiKeyStore keys) => Results.Json(keys.List().Select(KeyModel), Json);

    private static async Task<IResult> CreateKey(HttpContext context, AdminApiKeyStore keys, ILogger<AdminApiKeyStore> log)
    {
        var (body, bodyFailure) = await AdminBody.ReadAsync(context).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        CreateKeyRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<CreateKeyRequest>(body, Json);
        }
        catch (JsonException ex)
        {
            // The serializer's message can quote input; only its path is echoed.
            return Invalid($"The body must be {{\"name\": \"…\", \"roles\": [\"…\"]}} (at {ex.Path ?? "$"}).").ToResult();
        }

        if (request is null)
        {
            return Invalid("The body must be a JSON object.").ToResult();
        }

        var roles = new List<AdminRole>();
        foreach (var name in request.Roles)
        {
            if (!AdminRoles.TryParse(name, out var role))
            {
                return Invalid($"roles may hold only {string.Join(", ", AdminRoles.Names)}.").ToResult();
            }

            roles.Add(role.Value);
        }

        var created = keys.Create(request.Name, roles);
        if (!created.Success)
        {
            return Invalid(created.Message).ToResult();
        }

        var info = created.Value.Info;
        AdminLog.Changed(log, "api-key.create", info.Id, AdminCaller.From(context).Key.Id);
        context.Response.Headers.Location = $"{Prefix}/api-keys/{info.Id}";
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new
            {
                id = info.Id,
                name = info.Name,
                roles = info.Roles.Select(AdminRoles.Name).ToArray(),
                createdAt = info.CreatedAt,
                key = created.Value.Key,
            },
            Json,
            statusCode: StatusCodes.Status201Created);
    }

    private static IResult RevokeKey(HttpContext context, AdminApiKeyStore keys, ILogger<AdminApiKeyStore> log)
    {
        var (id, failure) = AdminPath.Read(context, "keyId");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var revoked = keys.Revoke(id!);
        if (revoked is null)
        {
            return new AdminFailure(AdminFailureKind.NotFound, "No API key has this id.").ToResult();
        }

        AdminLog.Changed(log, "api-key.revoke", revoked.Id, AdminCaller.From(context).Key.Id);
        return Results.Json(KeyModel(revoked), Json);
    }

    private static object KeyModel(AdminApiKey key) => new
    {
        id = key.Id,
        name = key.Name,
        roles = key.Roles.Select(AdminRoles.Name).ToArray(),
        createdAt = key.CreatedAt,
        revokedAt = key.RevokedAt,
        active = key.Active,
    };

    /// <summary>Runs one change through the store, logs it once, and turns its outcome or a write failure into the response.</summary>
    private static IResult Change(HttpContext context, LocalConfigurationStore store, string action, string target, Func<LocalConfiguration, LocalConfigurationChange<Outcome>> change)
    {
        var log = context.RequestServices.GetRequiredService<ILogger<LocalConfigurationStore>>();
        var keyId = AdminCaller.From(context).Key.Id;
        if (store.Current is null)
        {
            var failure = NotInitialised(store);
            AdminLog.ChangeRefused(log, action, target, keyId, failure.Code);
            return failure.ToResult();
        }

        Outcome outcome;
        try
        {
            outcome = store.Update(change);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AdminLog.WriteFailed(log, ex, action, target);
            return new AdminFailure(AdminFailureKind.WriteFailed, "The configuration file could not be written; nothing changed.").ToResult();
        }

        if (outcome.Failure is not null)
        {
            AdminLog.ChangeRefused(log, action, target, keyId, outcome.Failure.Code);
            return outcome.Failure.ToResult();
        }

        AdminLog.Changed(log, action, target, keyId);
        if (outcome.Location is not null)
        {
            context.Response.Headers.Location = outcome.Location;
        }

        return outcome.Result!;
    }

    private static (ClientId? Id, AdminFailure? Failure) ReadClientId(HttpContext context)
    {
        var (raw, failure) = AdminPath.Read(context, "clientId");
        if (failure is not null)
        {
            return (null, failure);
        }

        var parsed = ClientId.TryParse(raw);
        return parsed.Success
            ? (parsed.Value, null)
            : (null, new AdminFailure(AdminFailureKind.InvalidIdentifier, parsed.Message));
    }

    private static (ClientId? Id, string? Code, AdminFailure? Failure) ReadServiceAddress(HttpContext context)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return (null, null, failure);
        }

        var (code, codeFailure) = AdminPath.Read(context, "serviceCode");
        if (codeFailure is not null)
        {
            return (null, null, codeFailure);
        }

        if (id!.AsSubsystem() is not { } owner)
        {
            return (null, null, Invalid($"Client {id} is a member; only subsystems offer services."));
        }

        var problem = LocalConfigurationRules.CheckServiceCode(owner, code);
        if (problem is not null)
        {
            var kind = code is not null && LocalConfigurationRules.ReservedServiceCodes.Contains(code)
                ? AdminFailureKind.InvalidRequest
                : AdminFailureKind.InvalidIdentifier;
            return (null, null, new AdminFailure(kind, problem));
        }

        return (id, code, null);
    }

    private static IResult JsonBytes(byte[] utf8, int status = StatusCodes.Status200OK) =>
        Results.Text(Encoding.UTF8.GetString(utf8), JsonType, Encoding.UTF8, status);

    private static AdminFailure Invalid(string message) => new(AdminFailureKind.InvalidRequest, message);

    private static AdminFailure NotInitialised(LocalConfigurationStore store) =>
        new(AdminFailureKind.NotInitialised, $"The server has no local configuration yet ({Path.GetFileName(store.FilePath)}); run the init command first.");

    private static AdminFailure NoClient(ClientId id) => new(AdminFailureKind.NotFound, $"Client {id} is not hosted on this server.");

    private static AdminFailure NoService(ClientId id, string code) => new(AdminFailureKind.NotFound, $"Client {id} offers no service '{code}'.");

    private static string ClientLocation(ClientId id) => $"{Prefix}/clients/{Uri.EscapeDataString(id.ToString())}";

    private static string ServiceLocation(ClientId id, string code) => $"{ClientLocation(id)}/services/{Uri.EscapeDataString(code)}";

    /// <summary>What a change function decided: a response, or a failure.</summary>
    private sealed record Outcome(IResult? Result, AdminFailure? Failure, string? Location)
    {
        public static Outcome Ok(IResult result, string? location = null) => new(result, null, location);

        public static Outcome Fail(AdminFailure failure) => new(null, failure, null);
    }

    /// <summary>The body of <c>POST /api/v1/api-keys</c>.</summary>
    private sealed record CreateKeyRequest(string Name, ImmutableArray<string> Roles);
}

using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The local group endpoints, under <c>/api/v1/clients/{clientId}/local-groups</c>.</summary>
public static partial class RegistryAdminApi
{
    private const string LocalGroups = "/clients/{clientId}/local-groups";

    private static void MapLocalGroups(RouteGroupBuilder api)
    {
        api.MapGet(LocalGroups, ListLocalGroups).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "local-group.list"));
        api.MapPost(LocalGroups, AddLocalGroup).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "local-group.add"));
        api.MapGet(LocalGroups + "/{groupCode}", GetLocalGroup).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "local-group.read"));
        api.MapPatch(LocalGroups + "/{groupCode}", PatchLocalGroup).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "local-group.update"));
        api.MapDelete(LocalGroups + "/{groupCode}", DeleteLocalGroup).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "local-group.delete"));
        api.MapPost(LocalGroups + "/{groupCode}/members", AddLocalGroupMembers).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "local-group.members.add"));
        api.MapDelete(LocalGroups + "/{groupCode}/members/{member}", RemoveLocalGroupMember).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "local-group.members.remove"));
    }

    private static IResult ListLocalGroups(HttpContext context, LocalConfigurationStore store)
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
            ? JsonBytes(LocalConfigurationSerializer.WriteLocalGroups(client.LocalGroups))
            : NoClient(id!).ToResult();
    }

    private static IResult GetLocalGroup(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadGroupAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        if (store.Current is not { } local)
        {
            return NotInitialised(store).ToResult();
        }

        if (local.FindClient(id!) is not { } client)
        {
            return NoClient(id!).ToResult();
        }

        return client.FindLocalGroup(code!) is { } group
            ? JsonBytes(LocalConfigurationSerializer.WriteLocalGroup(group))
            : NoGroup(id!, code!).ToResult();
    }

    private static async Task<IResult> AddLocalGroup(HttpContext context, LocalConfigurationStore store)
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

        var group = LocalConfigurationSerializer.ReadLocalGroup(body!, AdminBody.MaxBytes(context), id!);
        if (!group.Success)
        {
            return Invalid(group.Message).ToResult();
        }

        return Change(context, store, "local-group.add", $"{id}/{group.Value.Code}", local =>
        {
            if (local.FindClient(id!) is not { } client)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id!)));
            }

            if (client.FindLocalGroup(group.Value.Code) is not null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(new AdminFailure(AdminFailureKind.Conflict, $"Client {id} has a local group '{group.Value.Code}' already.")));
            }

            var next = local.WithClient(client.WithLocalGroup(group.Value));
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(
                    JsonBytes(LocalConfigurationSerializer.WriteLocalGroup(group.Value), StatusCodes.Status201Created),
                    GroupLocation(id!, group.Value.Code)))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static async Task<IResult> PatchLocalGroup(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadGroupAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (request, bodyFailure) = await ReadJsonAsync<GroupPatch>(context, """{"description": "…"}""").ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        return UpdateGroup(context, store, "local-group.update", id!, code!, group => (group with { Description = request!.Description }, null));
    }

    private static IResult DeleteLocalGroup(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadGroupAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        return Change(context, store, "local-group.delete", $"{id}/{code}", local =>
        {
            if (local.FindClient(id!) is not { } client)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id!)));
            }

            if (client.FindLocalGroup(code!) is null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoGroup(id!, code!)));
            }

            var users = client.Services.Where(s => s.AccessRights.Any(r => string.Equals(r.Subject.LocalGroupCode, code, StringComparison.Ordinal))).Select(s => s.Code).ToList();
            if (users.Count > 0)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(new AdminFailure(
                    AdminFailureKind.InUse,
                    $"Access rights of {string.Join(", ", users)} grant to local group '{code}'; remove them first.")));
            }

            var next = local.WithClient(client.WithoutLocalGroup(code!));
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(Results.NoContent()))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static async Task<IResult> AddLocalGroupMembers(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadGroupAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (body, bodyFailure) = await AdminBody.ReadAsync(context).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var members = LocalConfigurationSerializer.ReadGroupMembers(body!, AdminBody.MaxBytes(context));
        if (!members.Success)
        {
            return Invalid(members.Message).ToResult();
        }

        return UpdateGroup(context, store, "local-group.members.add", id!, code!, group =>
        {
            var present = members.Value.FirstOrDefault(group.Contains);
            if (present is not null)
            {
                return (null, new AdminFailure(AdminFailureKind.Conflict, $"{present} is a member of local group '{group.Code}' already."));
            }

            if (members.Value.Distinct().Count() != members.Value.Length)
            {
                return (null, Invalid("members names a client more than once."));
            }

            return (group with { Members = group.Members.AddRange(members.Value) }, null);
        });
    }

    private static IResult RemoveLocalGroupMember(HttpContext context, LocalConfigurationStore store)
    {
        var (id, code, failure) = ReadGroupAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (raw, memberFailure) = AdminPath.Read(context, "member");
        if (memberFailure is not null)
        {
            return memberFailure.ToResult();
        }

        var member = ClientId.TryParse(raw);
        if (!member.Success)
        {
            return new AdminFailure(AdminFailureKind.InvalidIdentifier, member.Message).ToResult();
        }

        return UpdateGroup(context, store, "local-group.members.remove", id!, code!, group =>
        {
            var index = group.Members.IndexOf(member.Value);
            return index < 0
                ? (null, new AdminFailure(AdminFailureKind.NotFound, $"{member.Value} is not a member of local group '{group.Code}'."))
                : (group with { Members = group.Members.RemoveAt(index) }, null);
        });
    }

    // One change to one existing group: the function returns the new group or a failure.
    private static IResult UpdateGroup(HttpContext context, LocalConfigurationStore store, string action, ClientId id, string code, Func<LocalGroup, (LocalGroup? Group, AdminFailure? Failure)> update) =>
        Change(context, store, action, $"{id}/{code}", local =>
        {
            if (local.FindClient(id) is not { } client)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id)));
            }

            if (client.FindLocalGroup(code) is not { } group)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoGroup(id, code)));
            }

            var (changed, failure) = update(group);
            if (failure is not null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(failure));
            }

            var next = local.WithClient(client.WithLocalGroup(changed!));
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(JsonBytes(LocalConfigurationSerializer.WriteLocalGroup(changed!))))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });

    private static (ClientId? Id, string? Code, AdminFailure? Failure) ReadGroupAddress(HttpContext context)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return (null, null, failure);
        }

        var (code, codeFailure) = AdminPath.Read(context, "groupCode");
        if (codeFailure is not null)
        {
            return (null, null, codeFailure);
        }

        return LocalConfigurationRules.CheckLocalGroupCode(code) is { } problem
            ? (null, null, new AdminFailure(AdminFailureKind.InvalidIdentifier, problem))
            : (id, code, null);
    }

    private static AdminFailure NoGroup(ClientId id, string code) => new(AdminFailureKind.NotFound, $"Client {id} has no local group '{code}'.");

    private static string GroupLocation(ClientId id, string code) => $"{ClientLocation(id)}/local-groups/{Uri.EscapeDataString(code)}";

    /// <summary>The body of <c>PATCH /clients/{id}/local-groups/{code}</c>.</summary>
    private sealed record GroupPatch(string Description);
}

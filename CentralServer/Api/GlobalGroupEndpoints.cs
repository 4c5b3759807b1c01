using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Api;

/// <summary><c>/global-groups</c> and their members.</summary>
internal static class GlobalGroupEndpoints
{
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/global-groups", (Registry registry) =>
            ApiResults.Ok(registry.Read(r => r.GlobalGroups()).Select(ApiModels.GlobalGroup)))
            .Requires(Permission.ReadRegistry, "global-group.list");

        api.MapGet("/global-groups/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", GlobalGroupId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            return registry.Read(r => r.GlobalGroup(id.Value!)) is { } found
                ? ApiResults.Ok(ApiModels.GlobalGroup(found))
                : ApiResults.Problem(Failure.NotFound($"Global group {id.Value} does not exist."));
        }).Requires(Permission.ReadRegistry, "global-group.read");

        api.MapPost("/global-groups", async (HttpContext context, Registry registry) =>
        {
            var body = await JsonBody.ReadAsync<CreateGroup>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var id = GlobalGroupId.TryParse(body.Value!.Id);
            if (!id.Success)
            {
                return ApiResults.Problem(Failure.InvalidIdentifier(id.Message));
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "global-group.create", id.Value.ToString(), e => e.AddGlobalGroup(id.Value, body.Value.Description));
            return ApiResults.Changed(context, result, "global-group.create", ApiModels.GlobalGroup, g => ApiModels.Location("global-groups", g.Id));
        }).Requires(Permission.ManageRegistrations, "global-group.create");

        api.MapPut("/global-groups/{id}", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", GlobalGroupId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var body = await JsonBody.ReadAsync<MemberEndpoints.Describe>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "global-group.update", id.Value!.ToString(), e => e.UpdateGlobalGroup(id.Value, body.Value!.Description));
            return ApiResults.Changed(context, result, "global-group.update", ApiModels.GlobalGroup);
        }).Requires(Permission.ManageRegistrations, "global-group.update");

        api.MapDelete("/global-groups/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", GlobalGroupId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "global-group.delete", id.Value!.ToString(), e => e.DeleteGlobalGroup(id.Value));
            return ApiResults.Deleted(context, result, "global-group.delete");
        }).Requires(Permission.ManageRegistrations, "global-group.delete");

        api.MapPost("/global-groups/{id}/members", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", GlobalGroupId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var body = await JsonBody.ReadAsync<SecurityServerEndpoints.ClientRef>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var client = ClientId.TryParse(body.Value!.Id);
            if (!client.Success)
            {
                return ApiResults.Problem(Failure.InvalidIdentifier(client.Message));
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "global-group.member.add", $"{id.Value} {client.Value}", e => e.AddGroupMember(id.Value!, client.Value));
            return ApiResults.Changed(context, result, "global-group.member.add", ApiModels.GlobalGroup);
        }).Requires(Permission.ManageRegistrations, "global-group.member.add");

        api.MapDelete("/global-groups/{id}/members/{client}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", GlobalGroupId.TryParse);
            var client = PathIdentifier.Read(context, "client", ClientId.TryParse);
            if (!id.Success || !client.Success)
            {
                return ApiResults.Problem(id.Failure ?? client.Failure!);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "global-group.member.remove", $"{id.Value} {client.Value}", e => e.RemoveGroupMember(id.Value!, client.Value!));
            return ApiResults.Changed(context, result, "global-group.member.remove", ApiModels.GlobalGroup);
        }).Requires(Permission.ManageRegistrations, "global-group.member.remove");
    }

    internal sealed record CreateGroup(string Id, string Description);
}

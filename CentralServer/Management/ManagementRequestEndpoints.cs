using ExchangeGateway.CentralServer.Api;
using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Errors;

namespace ExchangeGateway.CentralServer.Management;

/// <summary><c>/management-requests</c>: a registration officer lists, approves, rejects and revokes management requests.</summary>
internal static class ManagementRequestEndpoints
{
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/management-requests", (HttpContext context, ManagementRequestStore store) =>
        {
            ManagementRequestState? state = null;
            if (context.Request.Query.TryGetValue("state", out var text))
            {
                if (!ManagementNames.TryParseState(text.ToString(), out state))
                {
                    return ApiResults.Problem(Failure.Invalid("state must be one of pending, approved, rejected, revoked."));
                }
            }

            return ApiResults.Ok(store.List(state).Select(Model));
        }).Requires(Permission.ManageRequests, "management-request.list");

        api.MapGet("/management-requests/{id}", (HttpContext context, ManagementRequestStore store) =>
        {
            var id = ReadId(context);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            return store.Get(id.Value!) is { } found
                ? ApiResults.Ok(Model(found))
                : ApiResults.Problem(Failure.NotFound($"Management request {id.Value} does not exist."));
        }).Requires(Permission.ManageRequests, "management-request.read");

        MapDecision(api, "approve", (store, id, actor) => store.Approve(id, actor));
        MapDecision(api, "reject", (store, id, actor) => store.Reject(id, actor));
        MapDecision(api, "revoke", (store, id, actor) => store.Revoke(id, actor));
    }

    private static void MapDecision(RouteGroupBuilder api, string verb, Func<ManagementRequestStore, string, Registration.Actor, Result<ManagementRequest>> decide)
    {
        var action = $"management-request.{verb}";
        api.MapPost($"/management-requests/{{id}}/{verb}", (HttpContext context, ManagementRequestStore store) =>
        {
            var id = ReadId(context);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            return ApiResults.Changed(context, decide(store, id.Value!, ApiCaller.From(context).Actor), action, Model);
        }).Requires(Permission.ManageRequests, action);
    }

    // Ids are UUIDs in canonical lowercase form; anything else cannot name a request.
    private static Result<string> ReadId(HttpContext context)
    {
        var raw = context.Request.RouteValues["id"] as string;
        return Guid.TryParseExact(raw, "D", out var id)
            ? id.ToString("D")
            : Failure.Invalid("The request id must be a UUID.");
    }

    private static object Model(ManagementRequest r) => new
    {
        id = r.Id,
        type = ManagementNames.Name(r.Type),
        state = ManagementNames.Name(r.State),
        serverId = r.ServerId.ToString(),
        clientId = r.ClientId?.ToString(),
        address = r.Address,
        authCertificateHash = r.AuthCertificateHash,
        newOwner = r.NewOwner?.ToString(),
        ownerSigner = r.OwnerSigner,
        createdAt = r.CreatedAt,
        receivedAt = r.ReceivedAt,
        decidedAt = r.DecidedAt,
        decidedBy = r.DecidedBy,
    };
}

using ExchangeGateway.CentralServer.Api;
using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>
/// Witnessing over HTTP. On the public configuration port, without API key (signatures authenticate
/// submissions; statements are signed): <c>POST /witness/v1/checkpoints</c> and
/// <c>GET /witness/v1/servers/{serverId}/latest</c>. In the admin API: <c>GET /api/v1/witness</c>.
/// </summary>
public static class WitnessEndpoints
{
    /// <summary>The path prefix of the public witness endpoints.</summary>
    public const string Path = "/witness/v1";

    /// <summary>The rate-limiting policy applied per client address.</summary>
    public const string RateLimitPolicy = "witness";

    /// <summary>Maps the public witness endpoints.</summary>
    public static IEndpointRouteBuilder MapWitness(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var witness = endpoints.MapGroup(Path).RequireRateLimiting(RateLimitPolicy);
        witness.MapPost("/checkpoints", async (HttpContext context) =>
        {
            var service = context.RequestServices.GetRequiredService<WitnessService>();
            var remote = context.Connection.RemoteIpAddress?.ToString() ?? "-";
            var body = await JsonBody.ReadAsync<CheckpointSubmission>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                // Too large or not JSON is refused by the framing, before anything was submitted.
                return ApiResults.Problem(body.Failure.Kind == FailureKind.InvalidRequest ? service.RefuseUnreadable(body.Failure.Message, remote) : body.Failure);
            }

            var outcome = service.Submit(body.Value!, remote);
            return outcome.Success ? ApiResults.Ok(outcome.Value!.ToJson()) : ApiResults.Problem(outcome.Failure);
        });

        witness.MapGet("/servers/{serverId}/latest", (HttpContext context, WitnessService service) =>
        {
            var server = PathIdentifier.Read(context, "serverId", SecurityServerId.TryParse);
            var latest = server.Success ? service.Latest(server.Value!) : Result<SignedStatement>.Fail(server.Failure);
            return latest.Success ? ApiResults.Ok(latest.Value!.ToJson()) : ApiResults.Problem(latest.Failure);
        });
        return endpoints;
    }

    /// <summary>Maps <c>GET /witness</c> into the admin API group.</summary>
    internal static void MapAdmin(RouteGroupBuilder api) =>
        api.MapGet("/witness", (WitnessService service) => ApiResults.Ok(service.List().Select(s => new
        {
            server = s.ServerId,
            treeSize = s.TreeSize,
            rootHash = s.RootHash,
            checkpointCreatedAt = s.CheckpointCreatedAt,
            witnessedAt = s.WitnessedAt,
            refusals = s.Refusals,
            lastRefusal = s.LastRefusal is { } r ? new { at = r.At, code = r.Code, message = r.Message, treeSize = r.TreeSize } : null,
        }))).Requires(Permission.ReadRegistry, "witness.list");
}

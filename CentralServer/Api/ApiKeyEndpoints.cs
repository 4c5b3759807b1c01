using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Hosting;

namespace ExchangeGateway.CentralServer.Api;

/// <summary><c>/api-keys</c>: system administrators only, and only from loopback.</summary>
internal static class ApiKeyEndpoints
{
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/api-keys", (ApiKeyStore keys) => ApiResults.Ok(keys.List().Select(ApiModels.ApiKey)))
            .Requires(Permission.ManageApiKeys, "api-key.list", loopbackOnly: true);

        api.MapPost("/api-keys", async (HttpContext context, ApiKeyStore keys, ILogger<ApiKeyStore> log) =>
        {
            var body = await JsonBody.ReadAsync<CreateKey>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var roles = new List<Role>();
            foreach (var name in body.Value!.Roles)
            {
                if (!Roles.TryParse(name, out var role))
                {
                    return ApiResults.Problem(Failure.Invalid($"roles may hold only {string.Join(", ", Roles.Names)}."));
                }

                roles.Add(role.Value);
            }

            var created = keys.Create(ApiCaller.From(context).Actor, body.Value.Name, roles);
            if (!created.Success)
            {
                return ApiResults.Problem(created.Failure);
            }

            var info = created.Value!.Info;
            Log.ApiKeyCreated(log, info.Id, string.Join(',', info.Roles.Select(Roles.Name)), ApiCaller.From(context).Key.Id);
            context.Response.Headers.Location = $"/api/v1/api-keys/{info.Id}";
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(
                new
                {
                    id = info.Id,
                    name = info.Name,
                    roles = info.Roles.Select(Roles.Name).ToArray(),
                    createdAt = ApiModels.Time(info.CreatedAt),
                    key = created.Value.Key,
                },
                ApiResults.Json,
                statusCode: StatusCodes.Status201Created);
        }).Requires(Permission.ManageApiKeys, "api-key.create", loopbackOnly: true);

        api.MapDelete("/api-keys/{id}", (HttpContext context, ApiKeyStore keys, ILogger<ApiKeyStore> log) =>
        {
            var id = PathIdentifier.ReadToken(context, "id");
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var revoked = keys.Revoke(ApiCaller.From(context).Actor, id.Value!);
            if (!revoked.Success)
            {
                return ApiResults.Problem(revoked.Failure);
            }

            Log.ApiKeyRevoked(log, id.Value!, ApiCaller.From(context).Key.Id);
            return ApiResults.Ok(ApiModels.ApiKey(revoked.Value!));
        }).Requires(Permission.ManageApiKeys, "api-key.revoke", loopbackOnly: true);
    }

    internal sealed record CreateKey(string Name, string[] Roles);
}

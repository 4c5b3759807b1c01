using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Registration;

namespace ExchangeGateway.CentralServer.Api;

/// <summary>Maps the admin REST API under <c>/api/v1</c>. Every endpoint carries an <see cref="ApiAccess"/>.</summary>
public static class AdminApi
{
    /// <summary>The path prefix of the admin API.</summary>
    public const string Prefix = "/api/v1";

    /// <summary>Maps all admin endpoints.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(Prefix);

        api.MapGet("/registry", (Registry registry) =>
            ApiResults.Ok(registry.Read(r => new { instanceId = r.InstanceId, version = r.Version })))
            .Requires(Permission.ReadRegistry, "registry.read");

        api.MapGet("/audit", (HttpContext context, AuditLog audit) =>
        {
            var query = context.Request.Query;
            long after = 0;
            var limit = 100;
            if ((query.TryGetValue("after", out var a) && !long.TryParse(a, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after))
                || (query.TryGetValue("limit", out var l) && !int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)))
            {
                return ApiResults.Problem(Errors.Failure.Invalid("after and limit must be non-negative integers."));
            }

            return ApiResults.Ok(audit.Read(after, limit).Select(ApiModels.Audit));
        }).Requires(Permission.ReadAudit, "audit.read");

        MemberEndpoints.Map(api);
        SecurityServerEndpoints.Map(api);
        TrustServiceEndpoints.Map(api);
        PublicationApiEndpoints.Map(api);
        GlobalGroupEndpoints.Map(api);
        ApiKeyEndpoints.Map(api);
        Management.ManagementRequestEndpoints.Map(api);
        Witnessing.WitnessEndpoints.MapAdmin(api);
        return endpoints;
    }
}

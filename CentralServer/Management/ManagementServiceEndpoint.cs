using ExchangeGateway.CentralServer.Api;
using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>
/// <c>POST /managementservice</c>: where security servers send signed management requests (the URL is
/// published in the global configuration). No API key: the request's own signatures authenticate it.
/// Every refusal is a 400/409/413/415 problem with a stable code, audited, and stores nothing.
/// </summary>
public static class ManagementServiceEndpoint
{
    /// <summary>The path, relative to the configuration download URL's origin.</summary>
    public const string Path = "/managementservice";

    /// <summary>The rate-limiting policy applied per client address.</summary>
    public const string RateLimitPolicy = "management-service";

    private static readonly Actor Service = new(null, "management-service");
    private static readonly Actor AutoApproval = new(null, "auto-approval");

    /// <summary>Maps the management service endpoint.</summary>
    public static IEndpointRouteBuilder MapManagementService(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(Path, async (HttpContext context) =>
        {
            var services = context.RequestServices;
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("ExchangeGateway.CentralServer.Management");
            var audit = services.GetRequiredService<AuditLog>();
            var body = await JsonBody.ReadAsync<ManagementEnvelope>(context).ConfigureAwait(false);
            var verified = body.Success
                ? services.GetRequiredService<ManagementRequestVerifier>().Verify(body.Value!)
                : Result<VerifiedManagementRequest>.Fail(body.Failure.Kind == FailureKind.InvalidRequest
                    ? new Failure(FailureKind.ManagementInvalidRequest, body.Failure.Message)
                    : body.Failure);
            var store = services.GetRequiredService<ManagementRequestStore>();
            var stored = verified.Success ? store.Receive(verified.Value!, Service) : Result<ManagementRequest>.Fail(verified.Failure);
            if (!stored.Success)
            {
                var target = verified.Success ? $"{verified.Value!.Content.RequestId} {verified.Value.Content.ServerId}" : "-";
                ManagementLog.Refused(log, context.Connection.RemoteIpAddress?.ToString() ?? "-", stored.Failure.Code);
                audit.RecordFailure(Service, "management-request.receive", target, stored.Failure);
                return ApiResults.Problem(stored.Failure);
            }

            var request = stored.Value!;
            if (services.GetRequiredService<IOptions<ManagementOptions>>().Value.AutoApprove)
            {
                var approved = store.Approve(request.Id, AutoApproval);
                if (approved.Success)
                {
                    request = approved.Value!;
                }
                else
                {
                    ManagementLog.AutoApprovalRefused(log, request.Id, approved.Failure.Code);
                }
            }

            ManagementLog.Received(log, request.Id, ManagementNames.Name(request.Type), request.ServerId.ToString(), ManagementNames.Name(request.State));
            return Results.Json(new { id = request.Id, state = ManagementNames.Name(request.State) }, ApiResults.Json, statusCode: StatusCodes.Status202Accepted);
        }).RequireRateLimiting(RateLimitPolicy);
        return endpoints;
    }
}

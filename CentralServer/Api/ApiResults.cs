using System.Text.Json;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Hosting;
using ExchangeGateway.CentralServer.Registration;

namespace ExchangeGateway.CentralServer.Api;

/// <summary>The admin API's responses: JSON bodies and RFC 7807 problem details with a stable <c>code</c>.</summary>
internal static class ApiResults
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    internal static IResult Problem(Failure failure) =>
        Problem(failure.Kind, failure.Message);

    internal static IResult Problem(FailureKind kind, string detail)
    {
        var code = ErrorCatalog.Code(kind);
        return Results.Problem(
            detail: detail,
            statusCode: ErrorCatalog.Status(kind),
            title: code,
            type: "urn:exchange-gateway:problem:" + code,
            extensions: new Dictionary<string, object?> { ["code"] = code });
    }

    internal static IResult Ok(object value) => Results.Json(value, Json);

    /// <summary>The outcome of a registry change: the mapped value (201 with Location when <paramref name="location"/> is given), or its problem.</summary>
    internal static IResult Changed<T>(HttpContext context, Result<T> result, string action, Func<T, object> map, Func<T, string>? location = null)
    {
        if (!Report(context, result.Failure, action))
        {
            return Problem(result.Failure!);
        }

        var body = map(result.Value!);
        if (location is null)
        {
            return Results.Json(body, Json);
        }

        context.Response.Headers.Location = location(result.Value!);
        return Results.Json(body, Json, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>204 after a successful delete, or its problem.</summary>
    internal static IResult Deleted(HttpContext context, Result<bool> result, string action) =>
        Report(context, result.Failure, action) ? Results.NoContent() : Problem(result.Failure!);

    /// <summary>Logs the outcome once, where the API decides the response; true on success.</summary>
    private static bool Report(HttpContext context, Failure? failure, string action)
    {
        var log = context.RequestServices.GetRequiredService<ILogger<Registry>>();
        if (failure is not null)
        {
            Log.ChangeRefused(log, action, failure.Code);
            return false;
        }

        Log.Changed(log, action, context.Features.Get<Auth.ApiCaller>()?.Key.Id ?? "-");
        return true;
    }
}

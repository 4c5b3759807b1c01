namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>An expected admin API failure: its kind and a message for the caller.</summary>
/// <param name="Kind">Decides the code and status.</param>
/// <param name="Message">Why, safe to show (it never quotes secrets).</param>
public sealed record AdminFailure(AdminFailureKind Kind, string Message)
{
    /// <summary>The stable code.</summary>
    public string Code => AdminErrors.Code(Kind);

    /// <summary>The problem-details response for this failure.</summary>
    public IResult ToResult() => Results.Problem(
        detail: Message,
        statusCode: AdminErrors.Status(Kind),
        title: Code,
        type: "urn:exchange-gateway:problem:" + Code,
        extensions: new Dictionary<string, object?> { ["code"] = Code });
}

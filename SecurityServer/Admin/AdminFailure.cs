namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>An expected admin API failure: its kind, its stable code and status, and a message for the caller.</summary>
public sealed record AdminFailure
{
    /// <summary>A failure of <paramref name="kind"/>; code and status from <see cref="AdminErrors"/>.</summary>
    /// <param name="kind">Decides the code and status.</param>
    /// <param name="message">Why, safe to show (it never quotes secrets).</param>
    public AdminFailure(AdminFailureKind kind, string message)
    {
        Kind = kind;
        Message = message;
        Code = AdminErrors.Code(kind);
        Status = AdminErrors.Status(kind);
    }

    private AdminFailure(string code, string message)
    {
        Kind = AdminFailureKind.Delegated;
        Message = message;
        Code = code;
        Status = AdminErrors.DelegatedStatus(code);
    }

    /// <summary>The kind.</summary>
    public AdminFailureKind Kind { get; }

    /// <summary>Why, safe to show.</summary>
    public string Message { get; }

    /// <summary>The stable code.</summary>
    public string Code { get; }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>A failure the Signer or onboarding decided, with its own code (<c>signer.*</c>, <c>onboarding.*</c>).</summary>
    public static AdminFailure Delegated(string code, string? message)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        return new AdminFailure(code, message ?? code);
    }

    /// <summary>The problem-details response for this failure.</summary>
    public IResult ToResult() => Results.Problem(
        detail: Message,
        statusCode: Status,
        title: Code,
        type: "urn:exchange-gateway:problem:" + Code,
        extensions: new Dictionary<string, object?> { ["code"] = Code });
}

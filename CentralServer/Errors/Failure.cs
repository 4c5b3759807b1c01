namespace ExchangeGateway.CentralServer.Errors;

/// <summary>An expected failure: its kind and a message that is safe to show to the caller (never a secret).</summary>
/// <param name="Kind">What went wrong; decides code and status.</param>
/// <param name="Message">Why, in words a caller can act on.</param>
public sealed record Failure(FailureKind Kind, string Message)
{
    /// <summary>The stable code, e.g. <c>registry.not_found</c>.</summary>
    public string Code => ErrorCatalog.Code(Kind);

    /// <summary>A <see cref="FailureKind.NotFound"/> failure.</summary>
    public static Failure NotFound(string message) => new(FailureKind.NotFound, message);

    /// <summary>A <see cref="FailureKind.Conflict"/> failure.</summary>
    public static Failure Conflict(string message) => new(FailureKind.Conflict, message);

    /// <summary>A <see cref="FailureKind.InUse"/> failure.</summary>
    public static Failure InUse(string message) => new(FailureKind.InUse, message);

    /// <summary>A <see cref="FailureKind.InvalidReference"/> failure.</summary>
    public static Failure InvalidReference(string message) => new(FailureKind.InvalidReference, message);

    /// <summary>A <see cref="FailureKind.InvalidRequest"/> failure.</summary>
    public static Failure Invalid(string message) => new(FailureKind.InvalidRequest, message);

    /// <summary>A <see cref="FailureKind.InvalidIdentifier"/> failure.</summary>
    public static Failure InvalidIdentifier(string message) => new(FailureKind.InvalidIdentifier, message);
}

using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.SecurityServer.Metaservices;

/// <summary>A metaservice's answer, or why there is none.</summary>
/// <typeparam name="T">The answer.</typeparam>
public readonly record struct MetaserviceResult<T>
    where T : class
{
    private MetaserviceResult(T? value, MetaserviceError? error, string? message)
    {
        Value = value;
        Error = error;
        Message = message;
    }

    /// <summary>The answer; null on failure.</summary>
    public T? Value { get; }

    /// <summary>Why there is no answer; null on success.</summary>
    public MetaserviceError? Error { get; }

    /// <summary>A message for the caller on failure, naming only identifiers the caller sent.</summary>
    public string? Message { get; }

    /// <summary>True when <see cref="Value"/> holds the answer.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error), nameof(Message))]
    public bool Success => Error is null;

    /// <summary>An answer.</summary>
    public static MetaserviceResult<T> Ok(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, null, null);
    }

    /// <summary>A failure.</summary>
    public static MetaserviceResult<T> Fail(MetaserviceError error, string message) => new(null, error, message);
}

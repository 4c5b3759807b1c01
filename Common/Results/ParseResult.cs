using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.Common.Results;

/// <summary>
/// The outcome of parsing untrusted input: a value, or a stable error code with a message.
/// Bad input is an expected outcome, so it is a value rather than an exception.
/// </summary>
public readonly struct ParseResult<T>
    where T : notnull
{
    private readonly T? _value;

    private ParseResult(T? value, string? errorCode, string? message)
    {
        _value = value;
        ErrorCode = errorCode;
        Message = message;
    }

    /// <summary>True when parsing succeeded and <see cref="Value"/> holds the result.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(ErrorCode), nameof(Message))]
    public bool Success => ErrorCode is null;

    /// <summary>The parsed value; default when parsing failed.</summary>
    public T? Value => _value;

    /// <summary>A stable error code from the error catalogue (for example <c>client.invalid_identifier</c>).</summary>
    public string? ErrorCode { get; }

    /// <summary>A human-readable reason, safe to show to the caller (never echoes secrets).</summary>
    public string? Message { get; }

    /// <summary>A successful result.</summary>
    public static ParseResult<T> Ok(T value) => new(value, null, null);

    /// <summary>A failed result with a stable code and a reason.</summary>
    public static ParseResult<T> Fail(string errorCode, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(default, errorCode, message);
    }

    /// <summary>The value, or an exception carrying the code when parsing failed. For trusted input only.</summary>
    public T GetValueOrThrow() =>
        Success ? Value : throw new FormatException($"{ErrorCode}: {Message}");

    /// <inheritdoc />
    public override string ToString() => Success ? $"Ok({Value})" : $"Fail({ErrorCode}: {Message})";
}

using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.Signer.Tokens;

/// <summary>The outcome of a token operation without a value: success, or a code from <see cref="TokenErrors"/> and a message.</summary>
public sealed record TokenResult
{
    private TokenResult(string? code, string? message)
    {
        Code = code;
        Message = message;
    }

    /// <summary>True on success.</summary>
    [MemberNotNullWhen(false, nameof(Code), nameof(Message))]
    public bool Success => Code is null;

    /// <summary>The failure code (a <see cref="TokenErrors"/> constant); null on success.</summary>
    public string? Code { get; }

    /// <summary>What went wrong, for people; null on success.</summary>
    public string? Message { get; }

    /// <summary>Success.</summary>
    public static TokenResult Ok { get; } = new(null, null);

    /// <summary>A failure.</summary>
    public static TokenResult Fail(string code, string message) => new(code, message);
}

/// <summary>The outcome of a token operation with a value.</summary>
/// <typeparam name="T">The value on success.</typeparam>
public sealed record TokenResult<T>
    where T : class
{
    private TokenResult(T? value, string? code, string? message)
    {
        Value = value;
        Code = code;
        Message = message;
    }

    /// <summary>True on success.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Code), nameof(Message))]
    public bool Success => Code is null;

    /// <summary>The value; null on failure.</summary>
    public T? Value { get; }

    /// <summary>The failure code; null on success.</summary>
    public string? Code { get; }

    /// <summary>What went wrong; null on success.</summary>
    public string? Message { get; }

    /// <summary>Success.</summary>
    public static TokenResult<T> Ok(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null, null);

    /// <summary>A failure.</summary>
    public static TokenResult<T> Fail(string code, string message) => new(null, code, message);
}

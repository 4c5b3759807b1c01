using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>The outcome of a backup operation: a value, or a code from <see cref="BackupErrors"/> and a message.</summary>
/// <typeparam name="T">The value on success.</typeparam>
public sealed record BackupResult<T>
    where T : class
{
    private BackupResult(T? value, string? code, string? message)
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

    /// <summary>The failure code (a <see cref="BackupErrors"/> constant); null on success.</summary>
    public string? Code { get; }

    /// <summary>What went wrong, for people; null on success.</summary>
    public string? Message { get; }

    /// <summary>Success.</summary>
    public static BackupResult<T> Ok(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null, null);

    /// <summary>A failure.</summary>
    public static BackupResult<T> Fail(string code, string message) => new(null, code, message);
}

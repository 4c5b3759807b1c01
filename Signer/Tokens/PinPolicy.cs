namespace ExchangeGateway.Signer.Tokens;

/// <summary>What a token PIN must look like, and how many wrong PINs lock the token for how long.</summary>
public sealed record PinPolicy
{
    /// <summary>The shortest PIN (default 10).</summary>
    public int MinLength { get; init; } = 10;

    /// <summary>The longest PIN (default 128).</summary>
    public int MaxLength { get; init; } = 128;

    /// <summary>How many of the four classes (lower case, upper case, digits, other printable ASCII) a PIN must use (default 3).</summary>
    public int MinCharacterClasses { get; init; } = 3;

    /// <summary>Consecutive wrong PINs that lock the token (default 5).</summary>
    public int MaxFailedAttempts { get; init; } = 5;

    /// <summary>How long a locked token refuses every login (default 15 minutes).</summary>
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Null when <paramref name="pin"/> is acceptable; otherwise what is wrong with it (never echoing the PIN).</summary>
    public string? Check(string? pin) => throw new NotImplementedException("issue #6: Signer helper");
}

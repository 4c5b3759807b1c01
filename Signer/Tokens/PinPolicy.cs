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
    public string? Check(string? pin)
    {
        if (string.IsNullOrEmpty(pin))
        {
            return "the PIN is empty";
        }

        if (pin.Length < MinLength)
        {
            return $"the PIN must have at least {MinLength} characters";
        }

        if (pin.Length > MaxLength)
        {
            return $"the PIN must have at most {MaxLength} characters";
        }

        bool lower = false, upper = false, digit = false, other = false;
        foreach (var c in pin)
        {
            // Printable ASCII only: a PIN typed on another keyboard layout or normalised differently
            // by another tool must still give the same bytes to the key derivation.
            if (c is < ' ' or > '~')
            {
                return "the PIN may contain only printable ASCII characters (space to '~')";
            }

            if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                upper = true;
            }
            else if (char.IsAsciiDigit(c))
            {
                digit = true;
            }
            else
            {
                other = true;
            }
        }

        var classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
        return classes < MinCharacterClasses
            ? $"the PIN must mix at least {MinCharacterClasses} of: lower case letters, upper case letters, digits, other characters"
            : null;
    }

    /// <summary>Throws when the policy itself is unusable (checked when a token is opened).</summary>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public void Validate()
    {
        if (MinLength < 1 || MaxLength < MinLength || MaxLength > 1024)
        {
            throw new ArgumentException($"PIN lengths must satisfy 1 <= MinLength ({MinLength}) <= MaxLength ({MaxLength}) <= 1024.");
        }

        if (MinCharacterClasses is < 0 or > 4)
        {
            throw new ArgumentException($"MinCharacterClasses must be 0 to 4, not {MinCharacterClasses}.");
        }

        if (MaxFailedAttempts < 1)
        {
            throw new ArgumentException($"MaxFailedAttempts must be at least 1, not {MaxFailedAttempts}.");
        }

        if (LockoutDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"LockoutDuration must be positive, not {LockoutDuration}.");
        }
    }
}

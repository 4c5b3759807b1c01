using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.Signer.Tests.Tokens;

public sealed class PinPolicyTests
{
    [Theory]
    [InlineData("Correct-Horse-1")]
    [InlineData("abcdefgh12-")]
    [InlineData("ABCDEFGH12a")]
    [InlineData("with space 1A")]
    public void Check_AcceptablePin_IsNull(string pin) => Assert.Null(new PinPolicy().Check(pin));

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("Ab1-Ab1-A", "at least 10")]
    [InlineData("abcdefghijkl", "at least 3")]
    [InlineData("abcdefgh1234", "at least 3")]
    [InlineData("Pässwort-1234", "printable ASCII")]
    [InlineData("Abcdefgh1\t-", "printable ASCII")]
    public void Check_BadPin_SaysWhatIsWrongWithoutEchoingIt(string? pin, string expected)
    {
        var message = new PinPolicy().Check(pin);

        Assert.NotNull(message);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(pin))
        {
            Assert.DoesNotContain(pin, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_LongerThanMax_IsRefused()
    {
        var policy = new PinPolicy { MaxLength = 20 };

        Assert.Null(policy.Check("Aa1-" + new string('x', 16)));
        Assert.Contains("at most 20", policy.Check("Aa1-" + new string('x', 17)), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CustomPolicy_AppliesItsOwnLimits()
    {
        var policy = new PinPolicy { MinLength = 4, MinCharacterClasses = 1 };

        Assert.Null(policy.Check("1234"));
        Assert.NotNull(policy.Check("123"));
    }

    [Theory]
    [InlineData(0, 128, 3, 5, 60)]
    [InlineData(10, 9, 3, 5, 60)]
    [InlineData(10, 128, 5, 5, 60)]
    [InlineData(10, 128, 3, 0, 60)]
    [InlineData(10, 128, 3, 5, 0)]
    public void Validate_UnusablePolicy_Throws(int min, int max, int classes, int attempts, int lockoutSeconds)
    {
        var policy = new PinPolicy { MinLength = min, MaxLength = max, MinCharacterClasses = classes, MaxFailedAttempts = attempts, LockoutDuration = TimeSpan.FromSeconds(lockoutSeconds) };

        Assert.Throws<ArgumentException>(policy.Validate);
    }
}

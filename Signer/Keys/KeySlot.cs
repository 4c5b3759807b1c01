using System.Globalization;
using System.Text;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Signer.Keys;

/// <summary>
/// Names one key in a <see cref="SoftwareKeyStore"/>: the server's authentication key, or the signing
/// key of one member. Also fixes the key's file names, which are derived from the member id so that a
/// directory listing says whose keys are there.
/// </summary>
public sealed record KeySlot
{
    private const string AuthenticationStem = "auth";
    private const string SigningPrefix = "sign_";

    private KeySlot(KeyPurpose purpose, MemberId? member)
    {
        Purpose = purpose;
        Member = member;
    }

    /// <summary>The security server's authentication key.</summary>
    public static KeySlot Authentication { get; } = new(KeyPurpose.Authentication, null);

    /// <summary>What the key is for.</summary>
    public KeyPurpose Purpose { get; }

    /// <summary>The member a signing key belongs to; null for the authentication key.</summary>
    public MemberId? Member { get; }

    /// <summary>
    /// The file name stem: <c>auth</c>, or <c>sign_INSTANCE_CLASS_CODE</c>. Identifier parts may contain
    /// <c>.</c>, <c>'</c> and other characters that are awkward or dangerous in file names (a member code
    /// may start with <c>..</c>), so every character except <c>A-Z a-z 0-9 -</c> is written as <c>%XX</c>;
    /// <c>_</c> and <c>%</c> are not identifier characters, so the form is unambiguous.
    /// </summary>
    internal string FileStem => Member is null
        ? AuthenticationStem
        : SigningPrefix + Escape(Member.Instance) + "_" + Escape(Member.MemberClass) + "_" + Escape(Member.MemberCode);

    /// <summary>The signing key of <paramref name="member"/>.</summary>
    public static KeySlot ForSigning(MemberId member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new KeySlot(KeyPurpose.Signing, member);
    }

    /// <inheritdoc />
    public override string ToString() => Member is null ? "authentication" : $"signing {Member}";

    /// <summary>Reads a stem written by <see cref="FileStem"/>; null for anything else.</summary>
    internal static KeySlot? FromFileStem(string stem)
    {
        if (stem == AuthenticationStem)
        {
            return Authentication;
        }

        if (!stem.StartsWith(SigningPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = stem[SigningPrefix.Length..].Split('_');
        if (parts.Length != 3)
        {
            return null;
        }

        var decoded = new string[3];
        for (var i = 0; i < 3; i++)
        {
            if (Unescape(parts[i]) is not { } part)
            {
                return null;
            }

            decoded[i] = part;
        }

        var member = MemberId.TryParse(string.Join('/', decoded));
        return member.Success && ForSigning(member.Value).FileStem == stem ? ForSigning(member.Value) : null;
    }

    private static string Escape(string part)
    {
        var builder = new StringBuilder(part.Length);
        foreach (var c in part)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                builder.Append(c);
            }
            else
            {
                // Identifier characters are ASCII, so one byte each.
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string? Unescape(string part)
    {
        var builder = new StringBuilder(part.Length);
        for (var i = 0; i < part.Length; i++)
        {
            if (part[i] != '%')
            {
                builder.Append(part[i]);
                continue;
            }

            if (i + 2 >= part.Length
                || !byte.TryParse(part.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            builder.Append((char)value);
            i += 2;
        }

        return builder.ToString();
    }
}

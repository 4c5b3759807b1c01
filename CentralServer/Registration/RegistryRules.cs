using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>
/// Field rules shared by every way into the registry (admin API now, management requests later), so a
/// value is checked the same way whoever sends it. Messages never quote the offending text.
/// </summary>
public static class RegistryRules
{
    /// <summary>Longest display name or description.</summary>
    public const int MaxTextLength = 255;

    /// <summary>Longest URL.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Largest certificate accepted, DER bytes.</summary>
    public const int MaxCertificateBytes = 16 * 1024;

    private static readonly FrozenSet<string> AllowedRdns = FrozenSet.ToFrozenSet(
        ["CN", "O", "OU", "C", "L", "ST", "SERIALNUMBER", "DC", "UID", "ORGANIZATIONIDENTIFIER"],
        StringComparer.Ordinal);

    /// <summary>Checks one identifier part (instance, member class, group code) with the identifier rules in <c>Common</c>.</summary>
    public static Failure? IdentifierPart(string? value, string partName)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Failure.InvalidIdentifier($"{partName} is empty.");
        }

        if (value.Contains('/', StringComparison.Ordinal))
        {
            return Failure.InvalidIdentifier($"{partName} contains '/'.");
        }

        // Parse a member id with the part in each position, so the one rule set in Common decides.
        var parsed = partName switch
        {
            "xRoadInstance" => MemberId.TryParse($"{value}/X/X"),
            _ => MemberId.TryParse($"X/{value}/X"),
        };
        return parsed.Success ? null : Failure.InvalidIdentifier(parsed.Message!.Replace("memberClass", partName, StringComparison.Ordinal));
    }

    /// <summary>A required display text: 1..255 characters, no control characters.</summary>
    public static Failure? Text(string? value, string field, bool required = true)
    {
        if (value is null || value.Length == 0)
        {
            return required ? Failure.Invalid($"{field} is required.") : null;
        }

        if (value.Length > MaxTextLength)
        {
            return Failure.Invalid($"{field} is longer than {MaxTextLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return Failure.Invalid($"{field} is blank.");
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return Failure.Invalid($"{field} contains a control character.");
            }
        }

        return null;
    }

    /// <summary>
    /// A security server address: a DNS host name or an IP address, optionally with <c>:port</c> when the
    /// server proxy does not listen on the default 5500 (several servers on one machine, as in the
    /// quickstart). Nothing else: no scheme, path or user information.
    /// </summary>
    public static Failure? Address(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Failure.Invalid("address is required.");
        }

        var host = value;
        var colon = value.LastIndexOf(':');
        if (colon > 0 && value.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            // host:port (an IPv6 literal has several colons and takes no port here).
            var port = value[(colon + 1)..];
            if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return Failure.Invalid("address must be a DNS host name or an IP address, optionally with :port (1-65535).");
            }

            host = value[..colon];
        }

        if (host.Length is 0 or > 253 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            return Failure.Invalid("address must be a DNS host name or an IP address, optionally with :port (1-65535).");
        }

        return null;
    }

    /// <summary>An absolute http or https URL without user information.</summary>
    public static Failure? Url(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Failure.Invalid($"{field} is required.");
        }

        if (value.Length > MaxUrlLength
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.UserInfo.Length > 0)
        {
            return Failure.Invalid($"{field} must be an absolute http or https URL without user information.");
        }

        return null;
    }

    /// <summary>A SHA-256 hash: 64 hex digits. Returns the canonical lowercase form.</summary>
    public static Result<string> Sha256Hex(string? value, string field)
    {
        if (value is null || value.Length != 64 || !value.All(char.IsAsciiHexDigit))
        {
            return Failure.Invalid($"{field} must be a SHA-256 hash: 64 hexadecimal digits.");
        }

        return value.ToLowerInvariant();
    }

    /// <summary>The SHA-256 of <paramref name="der"/> as lowercase hex: the id of CAs and TSAs, and of authentication certificates.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> der) => Convert.ToHexStringLower(SHA256.HashData(der));

    /// <summary>A subject RDN attribute name allowed in a certificate profile.</summary>
    public static Failure? Rdn(string? value, string field) =>
        value is not null && AllowedRdns.Contains(value)
            ? null
            : Failure.Invalid($"{field} must be one of {string.Join(", ", AllowedRdns.Order(StringComparer.Ordinal))}.");

    /// <summary>A DER X.509 certificate that parses; when <paramref name="requireCa"/>, one with basic constraints CA=true.</summary>
    public static Failure? Certificate(ReadOnlySpan<byte> der, string field, bool requireCa)
    {
        if (der.Length == 0 || der.Length > MaxCertificateBytes)
        {
            return Failure.Invalid($"{field} must be a certificate of at most {MaxCertificateBytes} bytes.");
        }

        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            if (requireCa && cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            {
                return Failure.Invalid($"{field} is not a CA certificate (basic constraints CA=true is missing).");
            }

            return null;
        }
        catch (CryptographicException)
        {
            return Failure.Invalid($"{field} is not a valid X.509 certificate.");
        }
    }
}

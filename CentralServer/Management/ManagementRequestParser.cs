using ExchangeGateway.Config.Management;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>
/// Parses the signed request bytes strictly: UTF-8 JSON, no unknown or duplicate properties, exactly
/// the fields its type needs, identifiers of this instance. Every failure is <c>management.invalid_request</c>.
/// </summary>
internal static class ManagementRequestParser
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 4,
        NumberHandling = JsonNumberHandling.Strict,
    };

    internal static Result<ManagementRequestContent> Parse(ReadOnlySpan<byte> bytes, string instance)
    {
        Document? doc;
        try
        {
            doc = JsonSerializer.Deserialize<Document>(bytes, Options);
        }
        catch (JsonException ex)
        {
            return Invalid($"The request is not valid JSON of a management request (at {ex.Path ?? "$"}).");
        }

        if (doc is null)
        {
            return Invalid("The request must be a JSON object.");
        }

        if (!ManagementNames.TryParseType(doc.Type, out var type))
        {
            return Invalid($"type must be one of {string.Join(", ", Enum.GetValues<ManagementRequestType>().Select(ManagementNames.Name))}.");
        }

        if (!Guid.TryParseExact(doc.RequestId, "D", out var requestId))
        {
            return Invalid("requestId must be a UUID (8-4-4-4-12 hex digits).");
        }

        if (!DateTimeOffset.TryParse(doc.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var createdAt))
        {
            return Invalid("createdAt must be an ISO-8601 time.");
        }

        var server = SecurityServerId.TryParse(doc.ServerId);
        if (!server.Success)
        {
            return Invalid($"serverId: {server.Message}");
        }

        if (!string.Equals(server.Value.Owner.Instance, instance, StringComparison.Ordinal))
        {
            return Invalid($"serverId belongs to instance {server.Value.Owner.Instance}, not {instance}.");
        }

        if (CheckFields(type.Value, doc) is { } wrongFields)
        {
            return wrongFields;
        }

        ClientId? client = null;
        if (doc.ClientId is not null)
        {
            var parsed = ClientId.TryParse(doc.ClientId);
            if (!parsed.Success)
            {
                return Invalid($"clientId: {parsed.Message}");
            }

            if (!string.Equals(parsed.Value.Member.Instance, instance, StringComparison.Ordinal))
            {
                return Invalid($"clientId belongs to instance {parsed.Value.Member.Instance}, not {instance}.");
            }

            client = parsed.Value;
        }

        if (doc.Address is not null && RegistryRules.Address(doc.Address) is { } badAddress)
        {
            return Invalid($"address: {badAddress.Message}");
        }

        byte[]? cert = null;
        string? hash = null;
        if (doc.AuthCertificate is not null)
        {
            var buffer = new byte[doc.AuthCertificate.Length];
            if (!Convert.TryFromBase64String(doc.AuthCertificate, buffer, out var written) || written == 0)
            {
                return Invalid("authCertificate must be the base64 DER certificate.");
            }

            cert = buffer[..written];
            hash = RegistryRules.Fingerprint(cert);
        }

        if (doc.AuthCertificateHash is not null)
        {
            // Lowercase only: the hash names a certificate in the registry and in the global configuration, where it is lowercase.
            if (doc.AuthCertificateHash.Length != 64 || !doc.AuthCertificateHash.All(char.IsAsciiHexDigitLower))
            {
                return Invalid("authCertificateHash must be the SHA-256 of the certificate DER: 64 lowercase hexadecimal digits.");
            }

            hash = doc.AuthCertificateHash;
        }

        MemberId? newOwner = null;
        if (doc.NewOwner is not null)
        {
            var parsed = MemberId.TryParse(doc.NewOwner);
            if (!parsed.Success)
            {
                return Invalid($"newOwner: {parsed.Message}");
            }

            if (!string.Equals(parsed.Value.Instance, instance, StringComparison.Ordinal))
            {
                return Invalid($"newOwner belongs to instance {parsed.Value.Instance}, not {instance}.");
            }

            if (parsed.Value == server.Value.Owner)
            {
                return Invalid($"newOwner {parsed.Value} already owns {server.Value}.");
            }

            newOwner = parsed.Value;
        }

        return new ManagementRequestContent(type.Value, requestId.ToString("D"), createdAt, server.Value, client, doc.Address, cert, hash, newOwner);
    }

    // Which optional fields each type carries; anything else present or missing is invalid. An auth-cert-deletion
    // names the certificate either whole or by hash (exactly one of the two).
    private static Failure? CheckFields(ManagementRequestType type, Document doc)
    {
        var needsClient = type is ManagementRequestType.ClientRegistration or ManagementRequestType.ClientDeletion
            or ManagementRequestType.ClientDisable or ManagementRequestType.ClientEnable;
        var needsAddress = type is ManagementRequestType.AuthCertRegistration or ManagementRequestType.AddressChange;
        var needsOwner = type is ManagementRequestType.OwnerChange;
        bool fieldsFit;
        string expected;
        if (type == ManagementRequestType.AuthCertDeletion)
        {
            fieldsFit = (doc.AuthCertificate is null) != (doc.AuthCertificateHash is null) && doc.ClientId is null && doc.Address is null && doc.NewOwner is null;
            expected = "authCertificateHash or authCertificate (one of them)";
        }
        else
        {
            var needsCert = type is ManagementRequestType.AuthCertRegistration;
            fieldsFit = (doc.ClientId is not null) == needsClient && (doc.Address is not null) == needsAddress
                && (doc.AuthCertificate is not null) == needsCert && doc.AuthCertificateHash is null && (doc.NewOwner is not null) == needsOwner;
            expected = string.Join(", ", new[] { needsClient ? "clientId" : null, needsCert ? "authCertificate" : null, needsAddress ? "address" : null, needsOwner ? "newOwner" : null }.OfType<string>());
        }

        return fieldsFit ? null : Invalid($"A {doc.Type} request carries exactly: {expected}.");
    }

    private static Failure Invalid(string message) => new(FailureKind.ManagementInvalidRequest, message);

    private sealed record Document(
        string Type,
        string RequestId,
        string CreatedAt,
        string ServerId,
        string? ClientId = null,
        string? Address = null,
        string? AuthCertificate = null,
        string? AuthCertificateHash = null,
        string? NewOwner = null);
}

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
            return Invalid("type must be one of auth-cert-registration, client-registration, client-deletion, address-change.");
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

        var needsClient = type is ManagementRequestType.ClientRegistration or ManagementRequestType.ClientDeletion;
        var needsAddress = type is ManagementRequestType.AuthCertRegistration or ManagementRequestType.AddressChange;
        var needsCert = type is ManagementRequestType.AuthCertRegistration;
        if ((doc.ClientId is not null) != needsClient || (doc.Address is not null) != needsAddress || (doc.AuthCertificate is not null) != needsCert)
        {
            return Invalid($"A {doc.Type} request carries exactly: {(needsClient ? "clientId" : string.Empty)}{(needsCert ? "authCertificate, " : string.Empty)}{(needsAddress ? "address" : string.Empty)}.");
        }

        ClientId? client = null;
        if (needsClient)
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

        if (needsAddress && RegistryRules.Address(doc.Address) is { } badAddress)
        {
            return Invalid($"address: {badAddress.Message}");
        }

        byte[]? cert = null;
        if (needsCert)
        {
            var buffer = new byte[doc.AuthCertificate!.Length];
            if (!Convert.TryFromBase64String(doc.AuthCertificate, buffer, out var written) || written == 0)
            {
                return Invalid("authCertificate must be the base64 DER certificate.");
            }

            cert = buffer[..written];
        }

        return new ManagementRequestContent(type.Value, requestId.ToString("D"), createdAt, server.Value, client, doc.Address, cert);
    }

    private static Failure Invalid(string message) => new(FailureKind.ManagementInvalidRequest, message);

    private sealed record Document(
        string Type,
        string RequestId,
        string CreatedAt,
        string ServerId,
        string? ClientId = null,
        string? Address = null,
        string? AuthCertificate = null);
}

using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Publication;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Config.Anchors;

namespace ExchangeGateway.CentralServer.Api;

/// <summary>
/// <c>/configuration</c> (status and forced generation), <c>/anchor</c>, and <c>/signing-keys</c>
/// (rotation: create a standby key, distribute the new anchor, activate, later retire the old key).
/// Key management is security officers' work and accepted from loopback only.
/// </summary>
internal static class PublicationApiEndpoints
{
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/configuration", (ConfigurationPublisher publisher) =>
        {
            var latest = publisher.Latest;
            var checkpoint = publisher.Checkpoint();
            return ApiResults.Ok(new
            {
                serial = latest?.Serial,
                generatedAt = latest is null ? null : ApiModels.Time(latest.GeneratedAt),
                expiresAt = latest is null ? null : ApiModels.Time(latest.ExpiresAt),
                registryVersion = latest?.RegistryVersion,
                contentSha256 = latest?.ContentSha256,
                logSize = checkpoint?.TreeSize,
                logRoot = checkpoint?.RootHash.ToString(),
            });
        }).Requires(Permission.ReadRegistry, "configuration.read");

        api.MapPost("/configuration/generate", (HttpContext context, ConfigurationPublisher publisher, AuditLog audit) =>
        {
            var published = publisher.PublishIfDue(force: true);
            audit.RecordSuccess(ApiCaller.From(context).Actor, "configuration.generate", published.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return ApiResults.Ok(new { serial = published.Serial, contentSha256 = published.ContentSha256 });
        }).Requires(Permission.ManageSigningKeys, "configuration.generate");

        api.MapGet("/anchor", (HttpContext context, SigningKeyManager keys, Registry registry, PublicationOptions options) =>
        {
            var bytes = ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create(registry.InstanceId, [options.DownloadUrl], keys.AnchorCertificates()));
            context.Response.Headers["X-Anchor-Sha256"] = ConfigurationAnchorSerializer.Sha256Hex(bytes);
            context.Response.Headers.ContentDisposition = "attachment; filename=\"configuration-anchor.json\"";
            return Results.Bytes(bytes, "application/json");
        }).Requires(Permission.ReadRegistry, "anchor.read");

        api.MapGet("/signing-keys", (SigningKeyManager keys) => ApiResults.Ok(keys.List().Select(Describe)))
            .Requires(Permission.ManageSigningKeys, "signing-key.list", loopbackOnly: true);

        api.MapPost("/signing-keys", (HttpContext context, SigningKeyManager keys, AuditLog audit) =>
        {
            var id = keys.CreateStandbyKey();
            audit.RecordSuccess(ApiCaller.From(context).Actor, "signing-key.create", id, "standby");
            context.Response.Headers.Location = $"/api/v1/signing-keys/{id}";
            return Results.Json(Describe(keys.List().Single(k => k.Id == id)), ApiResults.Json, statusCode: StatusCodes.Status201Created);
        }).Requires(Permission.ManageSigningKeys, "signing-key.create", loopbackOnly: true);

        api.MapPost("/signing-keys/{id}/activate", (HttpContext context, string id, SigningKeyManager keys, ConfigurationPublisher publisher, AuditLog audit) =>
        {
            var outcome = keys.Activate(id);
            if (outcome != SigningKeyResult.Ok)
            {
                return Refuse(context, audit, "signing-key.activate", id, outcome, "Only a standby key can be activated.");
            }

            // Sign with the new key at once, so security servers see the change and any gap shows now.
            var published = publisher.PublishIfDue(force: true);
            audit.RecordSuccess(ApiCaller.From(context).Actor, "signing-key.activate", id, $"serial={published.Serial}");
            return ApiResults.Ok(Describe(keys.List().Single(k => k.Id == id)));
        }).Requires(Permission.ManageSigningKeys, "signing-key.activate", loopbackOnly: true);

        api.MapPost("/signing-keys/{id}/retire", (HttpContext context, string id, SigningKeyManager keys, AuditLog audit) =>
        {
            var outcome = keys.Retire(id);
            if (outcome != SigningKeyResult.Ok)
            {
                return Refuse(context, audit, "signing-key.retire", id, outcome, "The active key cannot be retired; activate another key first.");
            }

            audit.RecordSuccess(ApiCaller.From(context).Actor, "signing-key.retire", id);
            return ApiResults.Ok(Describe(keys.List().Single(k => k.Id == id)));
        }).Requires(Permission.ManageSigningKeys, "signing-key.retire", loopbackOnly: true);
    }

    private static IResult Refuse(HttpContext context, AuditLog audit, string action, string id, SigningKeyResult outcome, string invalidState)
    {
        var failure = outcome == SigningKeyResult.NotFound
            ? Failure.NotFound("No configuration-signing key has this id.")
            : Failure.Conflict(invalidState);
        audit.RecordFailure(ApiCaller.From(context).Actor, action, id, failure);
        return ApiResults.Problem(failure);
    }

    private static object Describe(SigningKeyInfo key) => new
    {
        id = key.Id,
        state = key.State.ToString().ToLowerInvariant(),
        createdAt = ApiModels.Time(key.CreatedAt),
        subject = key.Certificate.Subject,
        certificate = key.Certificate.ExportCertificatePem(),
    };
}

using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Api;

/// <summary><c>/security-servers</c> with their authentication certificates and hosted clients.</summary>
internal static class SecurityServerEndpoints
{
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/security-servers", (Registry registry) =>
            ApiResults.Ok(registry.Read(r => r.SecurityServers()).Select(ApiModels.SecurityServer)))
            .Requires(Permission.ReadRegistry, "security-server.list");

        api.MapGet("/security-servers/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SecurityServerId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            return registry.Read(r => r.SecurityServer(id.Value!)) is { } found
                ? ApiResults.Ok(ApiModels.SecurityServer(found))
                : ApiResults.Problem(Failure.NotFound($"Security server {id.Value} is not registered."));
        }).Requires(Permission.ReadRegistry, "security-server.read");

        api.MapPost("/security-servers", async (HttpContext context, Registry registry) =>
        {
            var body = await JsonBody.ReadAsync<CreateServer>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var id = SecurityServerId.TryParse(body.Value!.Id);
            if (!id.Success)
            {
                return ApiResults.Problem(Failure.InvalidIdentifier(id.Message));
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "security-server.create", id.Value.ToString(), e => e.AddSecurityServer(id.Value, body.Value.Address));
            return ApiResults.Changed(context, result, "security-server.create", ApiModels.SecurityServer, s => ApiModels.Location("security-servers", s.Id));
        }).Requires(Permission.ManageRegistrations, "security-server.create");

        api.MapPut("/security-servers/{id}", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SecurityServerId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var body = await JsonBody.ReadAsync<ChangeAddress>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "security-server.update", id.Value!.ToString(), e => e.UpdateSecurityServer(id.Value, body.Value!.Address));
            return ApiResults.Changed(context, result, "security-server.update", ApiModels.SecurityServer);
        }).Requires(Permission.ManageRegistrations, "security-server.update");

        api.MapDelete("/security-servers/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SecurityServerId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "security-server.delete", id.Value!.ToString(), e => e.DeleteSecurityServer(id.Value));
            return ApiResults.Deleted(context, result, "security-server.delete");
        }).Requires(Permission.ManageRegistrations, "security-server.delete");

        api.MapPost("/security-servers/{id}/authentication-certificates", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SecurityServerId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var body = await JsonBody.ReadAsync<AddAuthCertificate>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var hash = HashOf(body.Value!);
            if (!hash.Success)
            {
                return ApiResults.Problem(hash.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "security-server.auth-cert.add", $"{id.Value} {hash.Value}", e => e.AddAuthenticationCertificate(id.Value!, hash.Value!));
            return ApiResults.Changed(context, result, "security-server.auth-cert.add", ApiModels.SecurityServer);
        }).Requires(Permission.ManageRegistrations, "security-server.auth-cert.add");

        api.MapDelete("/security-servers/{id}/authentication-certificates/{hash}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SecurityServerId.TryParse);
            var hash = PathIdentifier.ReadToken(context, "hash");
            if (!id.Success || !hash.Success)
            {
                return ApiResults.Problem(id.Failure ?? hash.Failure!);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "security-server.auth-cert.remove", $"{id.Value} {hash.Value}", e => e.RemoveAuthenticationCertificate(id.Value!, hash.Value!));
            return ApiResults.Changed(context, result, "security-server.auth-cert.remove", ApiModels.SecurityServer);
        }).Requires(Permission.ManageRegistrations, "security-server.auth-cert.remove");

        api.MapPost("/security-servers/{id}/clients", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SecurityServerId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var body = await JsonBody.ReadAsync<ClientRef>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var client = ClientId.TryParse(body.Value!.Id);
            if (!client.Success)
            {
                return ApiResults.Problem(Failure.InvalidIdentifier(client.Message));
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "security-server.client.add", $"{id.Value} {client.Value}", e => e.AddClient(id.Value!, client.Value));
            return ApiResults.Changed(context, result, "security-server.client.add", ApiModels.SecurityServer);
        }).Requires(Permission.ManageRegistrations, "security-server.client.add");

        api.MapDelete("/security-servers/{id}/clients/{client}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SecurityServerId.TryParse);
            var client = PathIdentifier.Read(context, "client", ClientId.TryParse);
            if (!id.Success || !client.Success)
            {
                return ApiResults.Problem(id.Failure ?? client.Failure!);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "security-server.client.remove", $"{id.Value} {client.Value}", e => e.RemoveClient(id.Value!, client.Value!));
            return ApiResults.Changed(context, result, "security-server.client.remove", ApiModels.SecurityServer);
        }).Requires(Permission.ManageRegistrations, "security-server.client.remove");
    }

    // Either the hash, or the certificate (whose SHA-256 is then computed here); not both.
    private static Result<string> HashOf(AddAuthCertificate body)
    {
        if ((body.Hash is null) == (body.Certificate is null))
        {
            return Failure.Invalid("Give exactly one of hash (SHA-256 hex of the DER certificate) or certificate (PEM or base64 DER).");
        }

        if (body.Hash is not null)
        {
            return RegistryRules.Sha256Hex(body.Hash, "hash");
        }

        var der = CertificateText.Decode(body.Certificate, "certificate");
        if (!der.Success)
        {
            return der.Failure;
        }

        return RegistryRules.Certificate(der.Value, "certificate", requireCa: false) is { } invalid
            ? invalid
            : RegistryRules.Fingerprint(der.Value);
    }

    internal sealed record CreateServer(string Id, string Address);

    internal sealed record ChangeAddress(string Address);

    internal sealed record AddAuthCertificate(string? Hash = null, string? Certificate = null);

    internal sealed record ClientRef(string Id);
}

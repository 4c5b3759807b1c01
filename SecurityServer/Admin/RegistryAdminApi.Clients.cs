using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The client lifecycle endpoints: add, register, unregister, disable, enable (through <see cref="IOnboarding"/>),
/// the IS connection type and the IS certificates.
/// </summary>
public static partial class RegistryAdminApi
{
    private const int MaxCertificateBytes = 64 * 1024;
    private const string PemType = "application/x-pem-file";
    private const string DerType = "application/pkix-cert";

    private static void MapClients(RouteGroupBuilder api)
    {
        api.MapPost("/clients", AddClient).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.add"));
        api.MapPost("/clients/{clientId}/register", RegisterClient).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.register"));
        api.MapPost("/clients/{clientId}/unregister", UnregisterClient).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.unregister"));
        api.MapPost("/clients/{clientId}/disable", DisableClient).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.disable"));
        api.MapPost("/clients/{clientId}/enable", EnableClient).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.enable"));
        api.MapPut("/clients/{clientId}/connection-type", SetConnectionType).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.connection-type"));
        api.MapPost("/clients/{clientId}/is-certificates", AddIsCertificate).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.is-certificate.add"));
        api.MapDelete("/clients/{clientId}/is-certificates/{hash}", DeleteIsCertificate).WithMetadata(new AdminAccess(AdminPermission.ManageClients, "client.is-certificate.delete"));
    }

    private static async Task<IResult> AddClient(HttpContext context, LocalConfigurationStore store)
    {
        var (body, bodyFailure) = await AdminBody.ReadAsync(context).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var read = LocalConfigurationSerializer.ReadNewClient(body!, AdminBody.MaxBytes(context));
        if (!read.Success)
        {
            return Invalid(read.Message).ToResult();
        }

        var client = read.Value;
        return Change(context, store, "client.add", client.Id.ToString(), local =>
        {
            if (local.FindClient(client.Id) is not null)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(new AdminFailure(AdminFailureKind.Conflict, $"Client {client.Id} exists already.")));
            }

            var next = local.WithClient(client);
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(JsonBytes(LocalConfigurationSerializer.WriteClient(client), StatusCodes.Status201Created), ClientLocation(client.Id)))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static Task<IResult> RegisterClient(HttpContext context, LocalConfigurationStore store) =>
        Onboard(context, store, (o, id, ct) => o.RegisterClientAsync(id, ct));

    private static Task<IResult> UnregisterClient(HttpContext context, LocalConfigurationStore store) =>
        Onboard(context, store, (o, id, ct) => o.UnregisterClientAsync(id, ct));

    private static Task<IResult> DisableClient(HttpContext context, LocalConfigurationStore store) =>
        Onboard(context, store, (o, id, ct) => o.DisableClientAsync(id, ct));

    private static Task<IResult> EnableClient(HttpContext context, LocalConfigurationStore store) =>
        Onboard(context, store, (o, id, ct) => o.EnableClientAsync(id, ct));

    // The client must be hosted here; onboarding decides the rest (state, certificates, the Central Server).
    private static async Task<IResult> Onboard(HttpContext context, LocalConfigurationStore store, Func<IOnboarding, ClientId, CancellationToken, Task<OnboardingResult>> send)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        if (store.Current is not { } local)
        {
            return NotInitialised(store).ToResult();
        }

        if (local.FindClient(id!) is null)
        {
            return NoClient(id!).ToResult();
        }

        var (onboarding, missing) = Optional<IOnboarding>(context, "onboarding");
        return missing is not null
            ? missing.ToResult()
            : Accepted(await send(onboarding!, id!, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> SetConnectionType(HttpContext context, LocalConfigurationStore store)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (request, bodyFailure) = await ReadJsonAsync<ConnectionTypeRequest>(context, """{"connectionType": "http" | "https" | "https-certificate"}""").ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        ConnectionType type;
        switch (request!.ConnectionType)
        {
            case "http": type = ConnectionType.Http; break;
            case "https": type = ConnectionType.Https; break;
            case "https-certificate": type = ConnectionType.HttpsCertificate; break;
            default: return Invalid("connectionType must be http, https or https-certificate.").ToResult();
        }

        return Change(context, store, "client.connection-type", id!.ToString(), local =>
        {
            if (local.FindClient(id) is not { } client)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id)));
            }

            var changed = client with { ConnectionType = type };
            var next = local.WithClient(changed);
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(JsonBytes(LocalConfigurationSerializer.WriteClient(changed))))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static async Task<IResult> AddIsCertificate(HttpContext context, LocalConfigurationStore store)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (body, mediaType, bodyFailure) = await AdminBody.ReadRawAsync(context, MaxCertificateBytes, PemType, DerType).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var (hash, certificateFailure) = IsCertificateHash(body!, mediaType == PemType);
        if (certificateFailure is not null)
        {
            return certificateFailure.ToResult();
        }

        return Change(context, store, "client.is-certificate.add", $"{id}/{hash}", local =>
        {
            if (local.FindClient(id!) is not { } client)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id!)));
            }

            if (client.IsCertificateHashes.Contains(hash!, StringComparer.Ordinal))
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(new AdminFailure(AdminFailureKind.Conflict, "The client has this IS certificate already.")));
            }

            var next = local.WithClient(client with { IsCertificateHashes = client.IsCertificateHashes.Add(hash!) });
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(
                    Results.Json(new { hash }, Json, statusCode: StatusCodes.Status201Created),
                    $"{ClientLocation(id!)}/is-certificates/{hash}"))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    private static IResult DeleteIsCertificate(HttpContext context, LocalConfigurationStore store)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (hash, hashFailure) = AdminPath.Read(context, "hash");
        if (hashFailure is not null)
        {
            return hashFailure.ToResult();
        }

        if (!LocalConfigurationRules.IsSha256Hex(hash))
        {
            return Invalid("The certificate hash must be 64 lowercase hex digits (SHA-256 of the DER).").ToResult();
        }

        return Change(context, store, "client.is-certificate.delete", $"{id}/{hash}", local =>
        {
            if (local.FindClient(id!) is not { } client)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(NoClient(id!)));
            }

            var index = client.IsCertificateHashes.IndexOf(hash!, 0, client.IsCertificateHashes.Length, StringComparer.Ordinal);
            if (index < 0)
            {
                return LocalConfigurationChange.Keep(Outcome.Fail(new AdminFailure(AdminFailureKind.NotFound, "The client has no IS certificate with this hash.")));
            }

            var next = local.WithClient(client with { IsCertificateHashes = client.IsCertificateHashes.RemoveAt(index) });
            return next.Success
                ? LocalConfigurationChange.Commit(next.Value, Outcome.Ok(Results.NoContent()))
                : LocalConfigurationChange.Keep(Outcome.Fail(Invalid(next.Message)));
        });
    }

    /// <summary>SHA-256 (lowercase hex) of one X.509 certificate given as PEM or DER.</summary>
    private static (string? Hash, AdminFailure? Failure) IsCertificateHash(byte[] body, bool pem)
    {
        try
        {
            byte[] der;
            if (pem)
            {
                var text = Encoding.ASCII.GetString(body);
                var fields = PemEncoding.Find(text);
                if (!text[fields.Label].Equals("CERTIFICATE", StringComparison.Ordinal))
                {
                    return (null, Invalid("The PEM must hold a CERTIFICATE."));
                }

                der = Convert.FromBase64String(text[fields.Base64Data]);
            }
            else
            {
                der = body;
            }

            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return (Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), null);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or FormatException)
        {
            return (null, Invalid("The body is not one X.509 certificate (PEM or DER)."));
        }
    }

    /// <summary>The body of <c>PUT /clients/{id}/connection-type</c>.</summary>
    private sealed record ConnectionTypeRequest(string ConnectionType);
}

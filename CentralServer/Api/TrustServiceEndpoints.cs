using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;

namespace ExchangeGateway.CentralServer.Api;

/// <summary><c>/certification-authorities</c> and <c>/timestamping-authorities</c>; ids are certificate SHA-256 hex.</summary>
internal static class TrustServiceEndpoints
{
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/certification-authorities", (Registry registry) =>
            ApiResults.Ok(registry.Read(r => r.CertificationAuthorities()).Select(ApiModels.Ca)))
            .Requires(Permission.ReadRegistry, "ca.list");

        api.MapGet("/certification-authorities/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.ReadToken(context, "id");
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            return registry.Read(r => r.CertificationAuthority(id.Value!.ToLowerInvariant())) is { } found
                ? ApiResults.Ok(ApiModels.Ca(found))
                : ApiResults.Problem(Failure.NotFound("No approved CA has this id."));
        }).Requires(Permission.ReadRegistry, "ca.read");

        api.MapPost("/certification-authorities", async (HttpContext context, Registry registry) =>
        {
            var body = await JsonBody.ReadAsync<CreateCa>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var b = body.Value!;
            var cert = CertificateText.Decode(b.Certificate, "certificate");
            var responder = b.OcspResponderCertificate is null ? Result<byte[]?>.Ok(null) : ToNullable(CertificateText.Decode(b.OcspResponderCertificate, "ocspResponderCertificate"));
            if (!cert.Success || !responder.Success)
            {
                return ApiResults.Problem(cert.Failure ?? responder.Failure!);
            }

            var target = RegistryRules.Fingerprint(cert.Value);
            var result = registry.Change(ApiCaller.From(context).Actor, "ca.create", target, e => e.AddCertificationAuthority(b.Name, cert.Value!, b.OcspUrl, responder.Value, Profile(b.Profile)));
            return ApiResults.Changed(context, result, "ca.create", ApiModels.Ca, ca => ApiModels.Location("certification-authorities", ca.Id));
        }).Requires(Permission.ManageTrustServices, "ca.create");

        api.MapPut("/certification-authorities/{id}", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.ReadToken(context, "id");
            var body = await JsonBody.ReadAsync<UpdateCa>(context).ConfigureAwait(false);
            if (!id.Success || !body.Success)
            {
                return ApiResults.Problem(id.Failure ?? body.Failure!);
            }

            var b = body.Value!;
            var responder = b.OcspResponderCertificate is null ? Result<byte[]?>.Ok(null) : ToNullable(CertificateText.Decode(b.OcspResponderCertificate, "ocspResponderCertificate"));
            if (!responder.Success)
            {
                return ApiResults.Problem(responder.Failure);
            }

            var key = id.Value!.ToLowerInvariant();
            var result = registry.Change(ApiCaller.From(context).Actor, "ca.update", key, e => e.UpdateCertificationAuthority(key, b.Name, b.OcspUrl, responder.Value, Profile(b.Profile)));
            return ApiResults.Changed(context, result, "ca.update", ApiModels.Ca);
        }).Requires(Permission.ManageTrustServices, "ca.update");

        api.MapDelete("/certification-authorities/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.ReadToken(context, "id");
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var key = id.Value!.ToLowerInvariant();
            var result = registry.Change(ApiCaller.From(context).Actor, "ca.delete", key, e => e.DeleteCertificationAuthority(key));
            return ApiResults.Deleted(context, result, "ca.delete");
        }).Requires(Permission.ManageTrustServices, "ca.delete");

        // Time-stamping authorities.
        api.MapGet("/timestamping-authorities", (Registry registry) =>
            ApiResults.Ok(registry.Read(r => r.TimestampingAuthorities()).Select(ApiModels.Tsa)))
            .Requires(Permission.ReadRegistry, "tsa.list");

        api.MapGet("/timestamping-authorities/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.ReadToken(context, "id");
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            return registry.Read(r => r.TimestampingAuthority(id.Value!.ToLowerInvariant())) is { } found
                ? ApiResults.Ok(ApiModels.Tsa(found))
                : ApiResults.Problem(Failure.NotFound("No approved TSA has this id."));
        }).Requires(Permission.ReadRegistry, "tsa.read");

        api.MapPost("/timestamping-authorities", async (HttpContext context, Registry registry) =>
        {
            var body = await JsonBody.ReadAsync<CreateTsa>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var b = body.Value!;
            var cert = CertificateText.Decode(b.Certificate, "certificate");
            if (!cert.Success)
            {
                return ApiResults.Problem(cert.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "tsa.create", RegistryRules.Fingerprint(cert.Value), e => e.AddTimestampingAuthority(b.Name, b.Url, cert.Value!));
            return ApiResults.Changed(context, result, "tsa.create", ApiModels.Tsa, t => ApiModels.Location("timestamping-authorities", t.Id));
        }).Requires(Permission.ManageTrustServices, "tsa.create");

        api.MapPut("/timestamping-authorities/{id}", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.ReadToken(context, "id");
            var body = await JsonBody.ReadAsync<UpdateTsa>(context).ConfigureAwait(false);
            if (!id.Success || !body.Success)
            {
                return ApiResults.Problem(id.Failure ?? body.Failure!);
            }

            var key = id.Value!.ToLowerInvariant();
            var result = registry.Change(ApiCaller.From(context).Actor, "tsa.update", key, e => e.UpdateTimestampingAuthority(key, body.Value!.Name, body.Value.Url));
            return ApiResults.Changed(context, result, "tsa.update", ApiModels.Tsa);
        }).Requires(Permission.ManageTrustServices, "tsa.update");

        api.MapDelete("/timestamping-authorities/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.ReadToken(context, "id");
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var key = id.Value!.ToLowerInvariant();
            var result = registry.Change(ApiCaller.From(context).Actor, "tsa.delete", key, e => e.DeleteTimestampingAuthority(key));
            return ApiResults.Deleted(context, result, "tsa.delete");
        }).Requires(Permission.ManageTrustServices, "tsa.delete");
    }

    private static Result<byte[]?> ToNullable(Result<byte[]> r) => r.Success ? Result<byte[]?>.Ok(r.Value) : Result<byte[]?>.Fail(r.Failure);

    private static CertificateProfile Profile(ProfileBody? p) => p is null
        ? CertificateProfile.Default
        : new CertificateProfile(
            p.MemberCodeRdn ?? CertificateProfile.Default.MemberCodeRdn,
            p.MemberClassRdn ?? CertificateProfile.Default.MemberClassRdn,
            p.InstanceRdn ?? CertificateProfile.Default.InstanceRdn);

    internal sealed record ProfileBody(string? MemberCodeRdn = null, string? MemberClassRdn = null, string? InstanceRdn = null);

    internal sealed record CreateCa(string Name, string Certificate, string OcspUrl, string? OcspResponderCertificate = null, ProfileBody? Profile = null);

    internal sealed record UpdateCa(string Name, string OcspUrl, string? OcspResponderCertificate = null, ProfileBody? Profile = null);

    internal sealed record CreateTsa(string Name, string Url, string Certificate);

    internal sealed record UpdateTsa(string Name, string Url);
}

using System.Globalization;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.TrustServices.Hosting;

/// <summary>
/// HTTP face of the dev CA: certificate downloads, issuance from CSRs, revocation and listing.
/// Issuance and revocation are accepted from loopback callers only.
/// </summary>
public static class CaEndpoints
{
    private const string PemContentType = "application/x-pem-file";

    /// <summary>Maps the CA endpoints under <c>/ca</c>.</summary>
    public static IEndpointRouteBuilder MapCertificateAuthority(
        this IEndpointRouteBuilder endpoints,
        DevTrustMaterial material,
        IssuedCertificateStore store,
        TrustServicesOptions options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);

        var rootPem = material.Root.Certificate.ExportCertificatePem() + "\n";
        var intermediatePem = material.Intermediate.Certificate.ExportCertificatePem() + "\n";
        endpoints.MapGet("/ca/root.pem", () => Results.Text(rootPem, PemContentType));
        endpoints.MapGet("/ca/intermediate.pem", () => Results.Text(intermediatePem, PemContentType));
        endpoints.MapGet("/ca/bundle.pem", () => Results.Text(rootPem + intermediatePem, PemContentType));
        endpoints.MapGet("/tsa/certificate.pem", () => Results.Text(material.Tsa.ExportCertificatePem() + "\n", PemContentType));
        endpoints.MapGet("/ocsp/certificate.pem", () => Results.Text(material.OcspResponder.ExportCertificatePem() + "\n", PemContentType));

        endpoints.MapPost("/ca/certificates", async (HttpContext context, string? profile) =>
        {
            if (!IsLoopback(context))
            {
                return Problem(StatusCodes.Status403Forbidden, "ca.remote_not_allowed", "The dev CA issues certificates to loopback callers only.");
            }

            if (!TryParseProfile(profile, out var parsed))
            {
                return Problem(StatusCodes.Status400BadRequest, "ca.unknown_profile", "Query parameter 'profile' must be 'authentication' or 'signing'.");
            }

            var body = await RequestBody.ReadBoundedAsync(context, options.MaxRequestBytes).ConfigureAwait(false);
            if (body is null)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "ca.request_too_large", $"The certificate request exceeds {options.MaxRequestBytes} bytes.");
            }

            try
            {
                using var cert = material.Intermediate.IssueFromCsr(body, parsed, new IssueOptions { Validity = options.CertificateValidity });
                var entry = store.Add(cert, parsed);
                context.Response.Headers["X-Certificate-Serial"] = entry.SerialHex;
                return Results.Text(cert.ExportCertificatePem() + "\n", PemContentType, statusCode: StatusCodes.Status201Created);
            }
            catch (CsrRejectedException ex)
            {
                return Problem(StatusCodes.Status400BadRequest, "ca.invalid_csr", ex.Message);
            }
        });

        endpoints.MapGet("/ca/certificates", () => Results.Json(store.List().Select(Describe).ToArray()));

        endpoints.MapGet("/ca/certificates/{serial}", (string serial) =>
        {
            var entry = store.Find(serial);
            return entry is null
                ? Problem(StatusCodes.Status404NotFound, "ca.not_found", "No certificate with that serial number was issued here.")
                : Results.Text(System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", entry.Der) + "\n", PemContentType);
        });

        endpoints.MapPost("/ca/certificates/{serial}/revoke", (HttpContext context, string serial, int? reason) =>
        {
            if (!IsLoopback(context))
            {
                return Problem(StatusCodes.Status403Forbidden, "ca.remote_not_allowed", "The dev CA revokes certificates for loopback callers only.");
            }

            // RFC 5280 §5.3.1 CRLReason; 7 is unused and 8 (removeFromCRL) makes no sense for OCSP.
            var code = reason ?? 0;
            if (code is < 0 or > 10 or 7 or 8)
            {
                return Problem(StatusCodes.Status400BadRequest, "ca.invalid_reason", "The revocation reason must be an RFC 5280 CRLReason code.");
            }

            if (!store.Revoke(serial, time.GetUtcNow(), code))
            {
                return Problem(StatusCodes.Status404NotFound, "ca.not_found", "No certificate with that serial number was issued here.");
            }

            return Results.Json(Describe(store.Find(serial)!));
        });

        return endpoints;
    }

    private static bool TryParseProfile(string? value, out CertificateProfile profile)
    {
        switch (value)
        {
            case "authentication" or "auth":
                profile = CertificateProfile.Authentication;
                return true;
            case "signing" or "sign":
                profile = CertificateProfile.Signing;
                return true;
            default:
                profile = default;
                return false;
        }
    }

    private static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip);

    private static IResult Problem(int status, string code, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: code, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static object Describe(IssuedCertificate e) => new
    {
        serial = e.SerialHex,
        subject = e.Subject,
        profile = e.Profile.ToString(),
        notBefore = e.NotBefore.ToString("O", CultureInfo.InvariantCulture),
        notAfter = e.NotAfter.ToString("O", CultureInfo.InvariantCulture),
        status = e.RevokedAt is null ? "good" : "revoked",
        revokedAt = e.RevokedAt?.ToString("O", CultureInfo.InvariantCulture),
        revocationReason = e.RevocationReason,
    };
}

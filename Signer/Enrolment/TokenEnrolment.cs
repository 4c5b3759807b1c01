using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.Signer.Enrolment;

/// <summary>
/// Gets the keys of a logged-in <see cref="SoftwareToken"/> certified by the federation's dev CA
/// (<c>installer/ExchangeGateway.TrustServices</c>): for each usage without a usable certificate it takes a
/// key of that usage that has no certificate yet, or generates one, makes a CSR with the token
/// (subject per <see cref="CertificateSubjectProfile.Default"/>), POSTs it to <c>/ca/certificates?profile=…</c>,
/// checks the answer (it certifies our key, chains to <c>/ca/root.pem</c> through <c>/ca/intermediate.pem</c>,
/// fits its purpose), and imports it with the chain <c>[intermediate, root]</c>; then it deletes the CSR.
/// An authentication certificate arrives <see cref="CertificateState.Saved"/>: registering it is onboarding's
/// job. Idempotent: a usage that has an active, unexpired, undeleted certificate is left alone.
/// The dev CA only serves loopback callers; production CAs are enrolled with by the operator.
/// </summary>
public static class TokenEnrolment
{
    /// <summary>The largest CA response read (a certificate PEM is about 1 KiB).</summary>
    private const int MaxResponseBytes = 64 * 1024;

    /// <summary>Enrols the authentication key of <paramref name="server"/> and the signing key of its owner.</summary>
    /// <param name="httpClient">The client for the CA; owned by the caller. Each request is bounded by <see cref="EnrolmentOptions.RequestTimeout"/>.</param>
    /// <param name="trustServicesBase">The dev trust services' base URL, e.g. <c>http://127.0.0.1:4300/</c>.</param>
    /// <param name="token">The token, logged in.</param>
    /// <param name="server">The security server.</param>
    /// <param name="options">Key algorithm for new keys, timeout and clock; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the whole enrolment (rethrown).</param>
    public static async Task<TokenEnrolmentResult> EnrolAsync(
        HttpClient httpClient,
        Uri trustServicesBase,
        SoftwareToken token,
        SecurityServerId server,
        EnrolmentOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var done = new List<EnrolledCertificate>();
        var failure = await EnrolOneAsync(httpClient, trustServicesBase, token, KeyPurpose.Authentication, null, CertificateSubjects.ForProfile(CertificateSubjectProfile.Default, server.Owner, server.ServerCode), options, done, cancellationToken).ConfigureAwait(false)
            ?? await EnrolOneAsync(httpClient, trustServicesBase, token, KeyPurpose.Signing, server.Owner, CertificateSubjects.ForProfile(CertificateSubjectProfile.Default, server.Owner, null), options, done, cancellationToken).ConfigureAwait(false);
        return Result(done, failure);
    }

    /// <summary>Enrols the signing key of <paramref name="member"/>: the owner, or another member whose subsystems this server hosts.</summary>
    public static async Task<TokenEnrolmentResult> EnrolSigningAsync(
        HttpClient httpClient,
        Uri trustServicesBase,
        SoftwareToken token,
        MemberId member,
        EnrolmentOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        var done = new List<EnrolledCertificate>();
        var failure = await EnrolOneAsync(httpClient, trustServicesBase, token, KeyPurpose.Signing, member, CertificateSubjects.ForProfile(CertificateSubjectProfile.Default, member, null), options, done, cancellationToken).ConfigureAwait(false);
        return Result(done, failure);
    }

    private static TokenEnrolmentResult Result(List<EnrolledCertificate> done, Failure? failure) =>
        failure is { } f
            ? new TokenEnrolmentResult { Certificates = done, ErrorCode = f.Code, Message = f.Message }
            : new TokenEnrolmentResult { Certificates = done };

    private static async Task<Failure?> EnrolOneAsync(
        HttpClient httpClient,
        Uri trustServicesBase,
        SoftwareToken token,
        KeyPurpose usage,
        MemberId? member,
        X500DistinguishedName subject,
        EnrolmentOptions? options,
        List<EnrolledCertificate> done,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(trustServicesBase);
        ArgumentNullException.ThrowIfNull(token);
        options ??= EnrolmentOptions.Default;
        var baseUri = trustServicesBase.AbsoluteUri.EndsWith('/') ? trustServicesBase : new Uri(trustServicesBase.AbsoluteUri + "/");
        var what = usage == KeyPurpose.Authentication ? "authentication" : $"signing {member}";

        if (token.Status != TokenStatus.LoggedIn)
        {
            return new Failure(token.Status == TokenStatus.Uninitialised ? TokenErrors.NotInitialised : TokenErrors.NotActive, $"the token is {token.Status}: log in before enrolling");
        }

        var now = options.Time.GetUtcNow();
        var keys = token.Describe().Keys.Where(k => k.Usage == usage && k.Member == member).ToList();
        var usable = keys
            .SelectMany(k => k.Certificates)
            .Where(c => c.Active && c.State != CertificateState.Deleted && c.NotBefore <= now && c.NotAfter > now)
            .OrderByDescending(c => c.NotBefore)
            .FirstOrDefault();
        if (usable is not null)
        {
            done.Add(new EnrolledCertificate(usage, member, EnrolmentOutcome.AlreadyEnrolled, usable));
            return null;
        }

        // A key from an earlier run that stopped before its certificate came is certified, not replaced.
        var key = keys.LastOrDefault(k => k.Certificates.IsEmpty);
        if (key is null)
        {
            var generated = token.GenerateKey(usage, usage == KeyPurpose.Authentication ? "authentication" : $"signing {member}", member, options.Algorithm);
            if (!generated.Success)
            {
                return new Failure(generated.Code, $"{what} key: {generated.Message}");
            }

            key = generated.Value;
        }

        var csr = token.CreateCsr(key.Id, subject);
        if (!csr.Success)
        {
            return new Failure(csr.Code, $"{what} CSR: {csr.Message}");
        }

        var profile = usage == KeyPurpose.Authentication ? "authentication" : "signing";
        var issued = await SendAsync(httpClient, HttpMethod.Post, new Uri(baseUri, "ca/certificates?profile=" + profile), csr.Value.Der.ToArray(), HttpStatusCode.Created, options, cancellationToken).ConfigureAwait(false);
        if (issued.Failure is { } postFailure)
        {
            return postFailure;
        }

        var intermediate = await SendAsync(httpClient, HttpMethod.Get, new Uri(baseUri, "ca/intermediate.pem"), null, HttpStatusCode.OK, options, cancellationToken).ConfigureAwait(false);
        if (intermediate.Failure is { } intermediateFailure)
        {
            return intermediateFailure;
        }

        var root = await SendAsync(httpClient, HttpMethod.Get, new Uri(baseUri, "ca/root.pem"), null, HttpStatusCode.OK, options, cancellationToken).ConfigureAwait(false);
        if (root.Failure is { } rootFailure)
        {
            return rootFailure;
        }

        X509Certificate2 leaf, issuer, anchor;
        try
        {
            leaf = X509Certificate2.CreateFromPem(issued.Body);
            issuer = X509Certificate2.CreateFromPem(intermediate.Body);
            anchor = X509Certificate2.CreateFromPem(root.Body);
        }
        catch (CryptographicException ex)
        {
            return new Failure(SignerErrors.InvalidCertificate, $"The CA answered with something that is not a PEM certificate: {ex.Message}");
        }

        using (leaf)
        using (issuer)
        using (anchor)
        {
            var publicKeySha256 = Convert.ToHexStringLower(SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo()));
            if (publicKeySha256 != key.PublicKeySha256)
            {
                return new Failure(SignerErrors.InvalidCertificate, $"The CA issued '{leaf.Subject}' for another key than the {what} key {key.Id} it was asked to certify.");
            }

            // Not trust (that comes from global configuration), but a check that what we import works.
            var purpose = usage == KeyPurpose.Authentication ? CertificatePurpose.Authentication : CertificatePurpose.Signing;
            var validation = new CertificateValidator([anchor], [issuer]).Validate(leaf, purpose, now);
            if (!validation.IsValid)
            {
                return new Failure(SignerErrors.InvalidCertificate, $"The certificate issued for the {what} key does not validate under the CA's root: {validation.Message}");
            }

            var bundle = Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n" + issuer.ExportCertificatePem() + "\n" + anchor.ExportCertificatePem() + "\n");
            var imported = token.ImportCertificate(bundle);
            if (!imported.Success)
            {
                return new Failure(imported.Code, $"importing the {what} certificate: {imported.Message}");
            }

            // The request is answered; a failure to forget it leaves only a stale CSR entry.
            token.DeleteCsr(csr.Value.Id);
            done.Add(new EnrolledCertificate(usage, member, EnrolmentOutcome.Enrolled, imported.Value));
            return null;
        }
    }

    private static async Task<(string Body, Failure? Failure)> SendAsync(
        HttpClient httpClient,
        HttpMethod method,
        Uri uri,
        byte[]? body,
        HttpStatusCode expected,
        EnrolmentOptions options,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.RequestTimeout, options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        }

        var where = uri.GetLeftPart(UriPartial.Path);
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var text = await ReadBoundedAsync(response.Content, linked.Token).ConfigureAwait(false);
            if (text is null)
            {
                return (string.Empty, new Failure(SignerErrors.CaUnavailable, $"{where}: the response is longer than {MaxResponseBytes} bytes"));
            }

            if (response.StatusCode != expected)
            {
                // The dev CA explains a refusal in a short problem document; it holds no secrets.
                var detail = text.Length > 500 ? text[..500] : text;
                return (string.Empty, new Failure(SignerErrors.CaRejected, $"{where}: HTTP {(int)response.StatusCode}: {detail}"));
            }

            return (text, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (string.Empty, new Failure(SignerErrors.CaUnavailable, $"{where}: no complete response within {options.RequestTimeout}"));
        }
        catch (HttpRequestException ex)
        {
            return (string.Empty, new Failure(SignerErrors.CaUnavailable, $"{where}: {ex.Message}"));
        }
        catch (IOException ex)
        {
            return (string.Empty, new Failure(SignerErrors.CaUnavailable, $"{where}: {ex.Message}"));
        }
    }

    private static async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is > MaxResponseBytes)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxResponseBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total > MaxResponseBytes ? null : Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    private readonly record struct Failure(string Code, string Message);
}

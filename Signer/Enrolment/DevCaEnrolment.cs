using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Enrolment;

/// <summary>
/// Gets the keys of a security server certified by the federation's dev CA
/// (<c>installer/ExchangeGateway.TrustServices</c>): for each missing certificate it generates the key
/// (unless one is there already), sends a PKCS#10 request to <c>POST /ca/certificates?profile=…</c>,
/// checks the answer (it must certify our key, chain to the CA's root and be valid for its purpose),
/// and stores it with the chain from <c>/ca/intermediate.pem</c> and <c>/ca/root.pem</c>.
/// Idempotent: a slot with a key and a matching certificate is left alone, so running it again after
/// a failure continues where it stopped. The dev CA only serves loopback callers; production CAs are
/// enrolled with by the operator (issue #6).
/// </summary>
public static class DevCaEnrolment
{
    /// <summary>The largest CA response read (a certificate PEM is about 1 KiB).</summary>
    private const int MaxResponseBytes = 64 * 1024;

    /// <summary>
    /// Enrols the authentication key of <paramref name="server"/> and the signing key of its owner.
    /// </summary>
    /// <param name="httpClient">The client for the CA; owned by the caller. Each request is bounded by <see cref="EnrolmentOptions.RequestTimeout"/>.</param>
    /// <param name="trustServicesBase">The dev trust services' base URL, e.g. <c>http://127.0.0.1:4300/</c>.</param>
    /// <param name="store">Where keys and certificates live.</param>
    /// <param name="server">The security server.</param>
    /// <param name="options">Key algorithm, timeout and clock; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the whole enrolment (rethrown).</param>
    public static async Task<EnrolmentResult> EnrolAsync(
        HttpClient httpClient,
        Uri trustServicesBase,
        SoftwareKeyStore store,
        SecurityServerId server,
        EnrolmentOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var keys = new List<EnrolledKey>();
        var failure = await EnrolSlotAsync(httpClient, trustServicesBase, store, KeySlot.Authentication, CertificateSubjects.Authentication(server), options, keys, cancellationToken).ConfigureAwait(false)
            ?? await EnrolSlotAsync(httpClient, trustServicesBase, store, KeySlot.ForSigning(server.Owner), CertificateSubjects.Signing(server.Owner), options, keys, cancellationToken).ConfigureAwait(false);
        return failure is { } f ? new EnrolmentResult { Keys = keys, ErrorCode = f.Code, Message = f.Message } : new EnrolmentResult { Keys = keys };
    }

    /// <summary>
    /// Enrols the signing key of <paramref name="member"/>: the owner, or another member whose subsystems
    /// this server hosts.
    /// </summary>
    public static async Task<EnrolmentResult> EnrolSigningAsync(
        HttpClient httpClient,
        Uri trustServicesBase,
        SoftwareKeyStore store,
        MemberId member,
        EnrolmentOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        var keys = new List<EnrolledKey>();
        var failure = await EnrolSlotAsync(httpClient, trustServicesBase, store, KeySlot.ForSigning(member), CertificateSubjects.Signing(member), options, keys, cancellationToken).ConfigureAwait(false);
        return failure is { } f ? new EnrolmentResult { Keys = keys, ErrorCode = f.Code, Message = f.Message } : new EnrolmentResult { Keys = keys };
    }

    /// <summary>Builds a PKCS#10 request (DER) for <paramref name="key"/>, SHA-256, PKCS#1 v1.5 padding for RSA.</summary>
    public static byte[] CreateSigningRequest(X500DistinguishedName subject, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(key);
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException($"A {key.GetType().Name} key cannot be certified.", nameof(key)),
        };
        return request.CreateSigningRequest();
    }

    private static async Task<Failure?> EnrolSlotAsync(
        HttpClient httpClient,
        Uri trustServicesBase,
        SoftwareKeyStore store,
        KeySlot slot,
        X500DistinguishedName subject,
        EnrolmentOptions? options,
        List<EnrolledKey> keys,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(trustServicesBase);
        ArgumentNullException.ThrowIfNull(store);
        options ??= EnrolmentOptions.Default;
        var baseUri = trustServicesBase.AbsoluteUri.EndsWith('/') ? trustServicesBase : new Uri(trustServicesBase.AbsoluteUri + "/");

        if (AlreadyEnrolled(store, slot) is { } existing)
        {
            keys.Add(existing);
            return null;
        }

        using var key = store.LoadKey(slot) ?? store.CreateKey(slot, options.Algorithm);
        var profile = slot.Purpose == KeyPurpose.Authentication ? "authentication" : "signing";
        var csr = CreateSigningRequest(subject, key);
        var issued = await SendAsync(httpClient, HttpMethod.Post, new Uri(baseUri, "ca/certificates?profile=" + profile), csr, HttpStatusCode.Created, options, cancellationToken).ConfigureAwait(false);
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
            if (!SoftwareKeyStore.MatchesKey(leaf, key))
            {
                return new Failure(SignerErrors.InvalidCertificate, $"The CA issued '{leaf.Subject}' for another key than the {slot} key it was asked to certify.");
            }

            // Not trust (that comes from global configuration), but a check that what we store works:
            // the chain is complete and the certificate fits its purpose.
            var purpose = slot.Purpose == KeyPurpose.Authentication ? CertificatePurpose.Authentication : CertificatePurpose.Signing;
            var validation = new CertificateValidator([anchor], [issuer]).Validate(leaf, purpose, options.Time.GetUtcNow());
            if (!validation.IsValid)
            {
                return new Failure(SignerErrors.InvalidCertificate, $"The certificate issued for the {slot} key does not validate under the CA's root: {validation.Message}");
            }

            store.StoreCertificate(slot, leaf, [issuer, anchor]);
            keys.Add(Describe(slot, EnrolmentOutcome.Enrolled, leaf));
            return null;
        }
    }

    private static EnrolledKey? AlreadyEnrolled(SoftwareKeyStore store, KeySlot slot)
    {
        var certificates = store.LoadCertificates(slot);
        if (certificates is null)
        {
            return null;
        }

        try
        {
            using var key = store.LoadKey(slot);
            if (key is null)
            {
                // A certificate without its key is useless and cannot be repaired: the key is gone.
                throw new InvalidOperationException($"The key store has a {slot} certificate but no key ({store.KeyPath(slot)}); restore the key or remove {store.CertificatePath(slot)}.");
            }

            return SoftwareKeyStore.MatchesKey(certificates[0], key) ? Describe(slot, EnrolmentOutcome.AlreadyEnrolled, certificates[0]) : null;
        }
        finally
        {
            foreach (var c in certificates)
            {
                c.Dispose();
            }
        }
    }

    private static EnrolledKey Describe(KeySlot slot, EnrolmentOutcome outcome, X509Certificate2 certificate) =>
        new(
            slot,
            outcome,
            certificate.Subject,
            Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));

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

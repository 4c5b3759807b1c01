using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Ocsp;

namespace ExchangeGateway.Signer.Tests.Support;

/// <summary>
/// An OCSP responder behind an HttpMessageHandler: the dev trust services' real responder code, on the
/// test's clock, answering every URL without a socket. <see cref="Down"/> makes it fail like an
/// unreachable host; <see cref="Revoke"/> changes a certificate's status.
/// </summary>
internal sealed class InProcessOcspHandler : HttpMessageHandler
{
    private readonly OcspResponder _responder;
    private readonly Dictionary<string, CertificateStatusEntry> _revoked = new(StringComparer.Ordinal);
    private readonly List<Uri> _requests = [];
    private readonly Lock _gate = new();

    public InProcessOcspHandler(TestPki pki, TimeProvider time, TimeSpan? validity = null)
    {
        _responder = new OcspResponder(pki.IntermediateCertificate, pki.OcspResponder, Lookup, time, validity ?? TimeSpan.FromHours(1));
    }

    /// <summary>When true every request fails as if the responder were unreachable.</summary>
    public volatile bool Down;

    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public void Revoke(X509Certificate2 certificate, DateTimeOffset at)
    {
        lock (_gate)
        {
            _revoked[Convert.ToHexString(certificate.SerialNumberBytes.Span)] = CertificateStatusEntry.Revoked(at, OcspRevocationReason.KeyCompromise);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _requests.Add(request.RequestUri!);
        }

        if (Down)
        {
            throw new HttpRequestException("connection refused (test responder is down)");
        }

        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_responder.Respond(body)) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(OcspClient.ResponseMediaType);
        return response;
    }

    private CertificateStatusEntry? Lookup(byte[] serial)
    {
        lock (_gate)
        {
            return _revoked.TryGetValue(Convert.ToHexString(serial), out var entry) ? entry : CertificateStatusEntry.Good;
        }
    }
}

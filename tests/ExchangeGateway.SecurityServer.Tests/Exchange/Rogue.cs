using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>Talks to a server proxy directly, as a peer security server would, with whatever certificate and envelope a test chooses.</summary>
public static class Rogue
{
    public static RestRequestHead Head(string client, string service, byte[] body, string? messageId = null, string method = "POST", string target = "/x") => new()
    {
        Method = method,
        Service = ServiceId.Parse(service),
        Target = target,
        Client = ClientId.Parse(client),
        MessageId = messageId ?? Guid.NewGuid().ToString(),
        RequestId = Guid.NewGuid(),
        BodyLength = body.Length,
        BodyDigest = SHA512.HashData(body),
    };

    public static byte[] Envelope(RestRequestHead head, byte[] body, X509Certificate2 signer, IEnumerable<X509Certificate2> chain, byte[] signingOcsp, byte[] authOcsp) =>
        Envelope(HeadCodec.Encode(head), body, signer, chain, signingOcsp, authOcsp);

    public static byte[] Envelope(byte[] headBytes, byte[] body, X509Certificate2 signer, IEnumerable<X509Certificate2> chain, byte[] signingOcsp, byte[] authOcsp)
    {
        var digest = RequestHash.SigningDigest(headBytes);
        var signature = BatchSigner.Sign([digest], content => CmsDetachedSigner.Sign(content, signer, DateTimeOffset.UtcNow, chain))[0];
        var prefix = EnvelopeFrame.WritePrefix(new EnvelopePrefix(headBytes, BatchSignatureEncoding.Encode(signature), signingOcsp, authOcsp));
        return [.. prefix, .. body];
    }

    public static async Task<byte[]> OcspAsync(Uri trustServices, X509Certificate2 certificate, X509Certificate2 issuer)
    {
        using var http = new HttpClient();
        var result = await new OcspClient(http, TimeProvider.System).FetchAsync(new Uri(trustServices, "ocsp"), certificate, issuer);
        return result.Response.ToArray();
    }

    /// <summary>POSTs an envelope over mutual TLS with <paramref name="clientCertificate"/>; the exception when the handshake is refused.</summary>
    public static async Task<(HttpResponseMessage? Response, Exception? Error)> SendAsync(int serverProxyPort, X509Certificate2? clientCertificate, byte[] envelope, string path = EnvelopeFrame.RestPath)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        using var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = new MediaTypeHeaderValue(EnvelopeFrame.MediaType);
        try
        {
            return (await http.PostAsync(new Uri($"https://127.0.0.1:{serverProxyPort}{path}"), content), null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex);
        }
    }

    /// <summary>A certificate with its key in a form SslStream accepts as a client certificate.</summary>
    public static X509Certificate2 Usable(X509Certificate2 withKey) =>
        X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

    public static HttpStatusCode Status(HttpResponseMessage response) => response.StatusCode;
}

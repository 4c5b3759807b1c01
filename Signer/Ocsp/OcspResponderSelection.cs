using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.Signer.Ocsp;

/// <summary>
/// Where to ask for a certificate's status and which responder certificates to trust besides the CA
/// and its delegated responders: what the issuing CA's entry in global configuration says
/// (<see cref="ApprovedCa.OcspResponders"/>). When it names no URL, <see cref="OcspStatusManager"/>
/// falls back to the certificate's own AIA OCSP URL.
/// </summary>
/// <param name="ResponderUrls">Responder URLs in order of preference.</param>
/// <param name="TrustedResponderCertificates">DER of responder certificates pinned in configuration (RFC 6960 §4.2.2.2 trusted responders).</param>
public sealed record OcspResponderSelection(IReadOnlyList<Uri> ResponderUrls, IReadOnlyList<ReadOnlyMemory<byte>> TrustedResponderCertificates)
{
    /// <summary>Nothing from configuration: use the certificate's AIA URL and trust only the CA and its delegates.</summary>
    public static OcspResponderSelection None { get; } = new([], []);

    /// <summary>
    /// The responders of the approved CA that <paramref name="chain"/> leads to (the first chain
    /// certificate, issuer first, that is an approved CA's certificate); <see cref="None"/> when no
    /// approved CA matches. URLs that are not absolute http(s) are skipped.
    /// </summary>
    /// <param name="configuration">The current global configuration.</param>
    /// <param name="chain">The certificate's issuing chain, issuer first.</param>
    public static OcspResponderSelection FromConfiguration(GlobalConfiguration configuration, IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(chain);
        foreach (var certificate in chain)
        {
            var der = certificate.RawDataMemory.Span;
            foreach (var ca in configuration.ApprovedCas)
            {
                if (!ca.Certificate.Span.SequenceEqual(der))
                {
                    continue;
                }

                var urls = new List<Uri>();
                var pinned = new List<ReadOnlyMemory<byte>>();
                foreach (var responder in ca.OcspResponders)
                {
                    if (Uri.TryCreate(responder.Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    {
                        urls.Add(uri);
                    }

                    if (responder.HasCertificate)
                    {
                        pinned.Add(responder.Certificate);
                    }
                }

                return new OcspResponderSelection(urls, pinned);
            }
        }

        return None;
    }
}

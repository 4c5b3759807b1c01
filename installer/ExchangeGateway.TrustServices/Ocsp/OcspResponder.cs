using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Ocsp;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;

namespace ExchangeGateway.TrustServices.Ocsp;

/// <summary>
/// An OCSP responder (RFC 6960) for the certificates of one issuing CA, for development and tests.
/// Answers every request with a fresh signed response: thisUpdate and producedAt now, nextUpdate after
/// <see cref="Validity"/>, the request's nonce echoed, ResponderID by key hash. Thread-safe if the status
/// lookup is.
/// </summary>
public sealed class OcspResponder
{
    /// <summary>The most CertIDs answered in one request; more is treated as a malformed request.</summary>
    public const int MaxRequestsPerMessage = 32;

    private readonly Func<byte[], CertificateStatusEntry?> _statusLookup;
    private readonly TimeProvider _timeProvider;
    private readonly bool _signerIsIssuer;

    /// <summary>Creates a responder.</summary>
    /// <param name="issuer">The CA whose certificates are answered for.</param>
    /// <param name="signer">The signing certificate with its key: <paramref name="issuer"/> itself or a delegated responder it issued with id-kp-OCSPSigning.</param>
    /// <param name="statusLookup">Maps a serial number (big-endian, as in the certificate) to its status; null for a certificate the CA never issued.</param>
    /// <param name="timeProvider">The clock for thisUpdate, nextUpdate and producedAt.</param>
    /// <param name="validity">nextUpdate minus thisUpdate; one hour by default.</param>
    public OcspResponder(
        X509Certificate2 issuer,
        X509Certificate2 signer,
        Func<byte[], CertificateStatusEntry?> statusLookup,
        TimeProvider timeProvider,
        TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(statusLookup);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!signer.HasPrivateKey)
        {
            throw new ArgumentException("The signer certificate must carry its private key.", nameof(signer));
        }

        Validity = validity ?? TimeSpan.FromHours(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Validity, TimeSpan.Zero, nameof(validity));
        Issuer = issuer;
        Signer = signer;
        _statusLookup = statusLookup;
        _timeProvider = timeProvider;
        _signerIsIssuer = signer.RawDataMemory.Span.SequenceEqual(issuer.RawDataMemory.Span);
    }

    /// <summary>The CA answered for.</summary>
    public X509Certificate2 Issuer { get; }

    /// <summary>The certificate whose key signs responses.</summary>
    public X509Certificate2 Signer { get; }

    /// <summary>How long a response is valid: nextUpdate = thisUpdate + this.</summary>
    public TimeSpan Validity { get; }

    /// <summary>
    /// Answers a DER OCSPRequest with a DER OCSPResponse. A request that cannot be parsed gets a
    /// <c>malformedRequest</c> response (RFC 6960 §2.3), never an exception.
    /// </summary>
    public byte[] Respond(ReadOnlySpan<byte> request)
    {
        if (!TryReadRequest(request.ToArray(), out var ids, out var nonceExtensionValue))
        {
            return OcspResponseBuilder.BuildUnsuccessful(Common.Crypto.Ocsp.OcspResponseStatus.MalformedRequest);
        }

        // Whole seconds: GeneralizedTime in DER carries no more, and thisUpdate must not exceed producedAt.
        var now = _timeProvider.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var builder = new OcspResponseBuilder(Signer, now)
        {
            NonceExtensionValue = nonceExtensionValue,

            // A delegated responder's certificate must travel with the response so clients can check its
            // authorisation (RFC 6960 §4.2.2.2); the CA's own certificate the client already has.
            IncludeSignerCertificate = !_signerIsIssuer,
        };

        foreach (var id in ids)
        {
            // RFC 6960 §2.2: "unknown" when the responder does not know the certificate, which includes a
            // CertID naming another issuer (or a hash algorithm we cannot compute).
            var status = id.MatchesIssuer(Issuer) ? _statusLookup(id.SerialNumber.ToArray()) : null;
            builder.AddResponse(id, status, now, now + Validity);
        }

        try
        {
            return builder.Build();
        }
        catch (CryptographicException)
        {
            return OcspResponseBuilder.BuildUnsuccessful(Common.Crypto.Ocsp.OcspResponseStatus.InternalError);
        }
    }

    private static bool TryReadRequest(byte[] der, out List<OcspCertificateId> ids, out ReadOnlyMemory<byte> nonceExtensionValue)
    {
        ids = [];
        nonceExtensionValue = default;
        if (der.Length == 0)
        {
            return false;
        }

        try
        {
            // Exactly one DER value, nothing after it.
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            outer.ReadEncodedValue();
            outer.ThrowIfNotEmpty();

            // The optional request signature (RFC 6960 §4.1.2) is not checked: this responder answers anyone.
            var tbs = OcspRequest.GetInstance(Asn1Object.FromByteArray(der)).TbsRequest;
            foreach (var item in tbs.RequestList)
            {
                var certId = Request.GetInstance(item).ReqCert;
                if (!OcspCertificateId.TryDecode(certId.GetDerEncoded(), out var id))
                {
                    return false;
                }

                ids.Add(id);
            }

            if (ids.Count is 0 or > MaxRequestsPerMessage)
            {
                return false;
            }

            var nonce = tbs.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
            if (nonce is not null)
            {
                nonceExtensionValue = nonce.Value.GetOctets();
            }

            return true;
        }
        catch (Exception ex) when (ex is AsnContentException or IOException or ArgumentException or InvalidCastException or FormatException or InvalidOperationException or IndexOutOfRangeException or OverflowException)
        {
            return false;
        }
    }
}

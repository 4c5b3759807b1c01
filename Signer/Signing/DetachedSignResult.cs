using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Signer.Signing;

/// <summary>
/// The outcome of <see cref="BatchingSigner.SignDetachedAsync"/>: a plain detached CMS SignedData over
/// the given bytes (e.g. a message-log checkpoint), or why there is none.
/// </summary>
public sealed class DetachedSignResult
{
    private DetachedSignResult(byte[]? cms, ReadOnlyMemory<byte> ocspResponse, X509Certificate2? certificate, SignFailure? failure, string? message)
    {
        Cms = cms;
        OcspResponse = ocspResponse;
        Certificate = certificate;
        Failure = failure;
        Message = message;
    }

    /// <summary>True when the bytes were signed.</summary>
    [MemberNotNullWhen(true, nameof(Cms), nameof(Certificate))]
    [MemberNotNullWhen(false, nameof(Message))]
    public bool IsSuccess => Failure is null;

    /// <summary>DER CMS SignedData, detached, with signed attributes (RFC 5652, ESS signing-certificate-v2).</summary>
    public byte[]? Cms { get; }

    /// <summary>The DER OCSP response (status good, fresh) of the signing certificate at signing time.</summary>
    public ReadOnlyMemory<byte> OcspResponse { get; }

    /// <summary>The signing certificate, without its key. Shared: do not dispose it.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Why nothing was signed; null on success.</summary>
    public SignFailure? Failure { get; }

    /// <summary>A reason for the log; null on success.</summary>
    public string? Message { get; }

    internal static DetachedSignResult Ok(byte[] cms, ReadOnlyMemory<byte> ocspResponse, X509Certificate2 certificate) =>
        new(cms, ocspResponse, certificate, null, null);

    internal static DetachedSignResult Fail(SignFailure failure, string message) =>
        new(null, ReadOnlyMemory<byte>.Empty, null, failure, message);
}

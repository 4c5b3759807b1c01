using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;

namespace ExchangeGateway.Signer.Signing;

/// <summary>
/// The outcome of <see cref="BatchingSigner.SignAsync"/>: the message's batch signature with what must
/// travel with it (the signing certificate and its stapled OCSP response), or why there is none.
/// </summary>
public sealed class SignResult
{
    private SignResult(BatchSignature? signature, ReadOnlyMemory<byte> ocspResponse, X509Certificate2? certificate, SignFailure? failure, string? message)
    {
        Signature = signature;
        OcspResponse = ocspResponse;
        Certificate = certificate;
        Failure = failure;
        Message = message;
    }

    /// <summary>True when the message was signed.</summary>
    [MemberNotNullWhen(true, nameof(Signature), nameof(Certificate))]
    [MemberNotNullWhen(false, nameof(Message))]
    public bool IsSuccess => Failure is null;

    /// <summary>The batch signature (CMS over the batch root, and this message's place in the batch).</summary>
    public BatchSignature? Signature { get; }

    /// <summary>The DER OCSP response (status good, fresh) of the signing certificate at signing time.</summary>
    public ReadOnlyMemory<byte> OcspResponse { get; }

    /// <summary>The signing certificate, without its key. Shared by every result of the key: do not dispose it.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Why nothing was signed; null on success.</summary>
    public SignFailure? Failure { get; }

    /// <summary>A reason for the log; null on success. Never holds key material.</summary>
    public string? Message { get; }

    internal static SignResult Ok(BatchSignature signature, ReadOnlyMemory<byte> ocspResponse, X509Certificate2 certificate) =>
        new(signature, ocspResponse, certificate, null, null);

    internal static SignResult Fail(SignFailure failure, string message) =>
        new(null, ReadOnlyMemory<byte>.Empty, null, failure, message);
}

using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Enrolment;

/// <summary>One key's state after enrolment, for the <c>init</c> command's summary.</summary>
/// <param name="Slot">Which key.</param>
/// <param name="Outcome">Whether anything was done.</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="CertificateSha256">SHA-256 of the certificate's DER, lowercase hex.</param>
/// <param name="NotAfter">When the certificate expires.</param>
public sealed record EnrolledKey(KeySlot Slot, EnrolmentOutcome Outcome, string Subject, string CertificateSha256, DateTimeOffset NotAfter);

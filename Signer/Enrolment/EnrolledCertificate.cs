using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.Signer.Enrolment;

/// <summary>One certificate after a <see cref="TokenEnrolment"/>, for a summary.</summary>
/// <param name="Usage">Authentication or signing.</param>
/// <param name="Member">The member of a signing certificate; null for authentication.</param>
/// <param name="Outcome">Whether anything was done.</param>
/// <param name="Certificate">The certificate as the token holds it.</param>
public sealed record EnrolledCertificate(KeyPurpose Usage, MemberId? Member, EnrolmentOutcome Outcome, CertificateInfo Certificate);

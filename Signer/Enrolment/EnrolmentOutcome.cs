namespace ExchangeGateway.Signer.Enrolment;

/// <summary>What enrolment did for one key.</summary>
public enum EnrolmentOutcome
{
    /// <summary>Key and matching certificate were already in the store; nothing was changed.</summary>
    AlreadyEnrolled = 0,

    /// <summary>A certificate was obtained and stored (and the key generated, if it was missing).</summary>
    Enrolled,
}

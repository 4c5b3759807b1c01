namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>The <c>PKIStatus</c> of a <c>TimeStampResp</c> (RFC 3161 §2.4.2, values from RFC 2510).</summary>
public enum PkiStatus
{
    /// <summary>The token is present as requested.</summary>
    Granted = 0,

    /// <summary>The token is present with modifications the requester should inspect.</summary>
    GrantedWithMods = 1,

    /// <summary>The request was refused; <see cref="PkiFailureInfo"/> says why.</summary>
    Rejection = 2,

    /// <summary>The request is not processed yet.</summary>
    Waiting = 3,

    /// <summary>A revocation is imminent.</summary>
    RevocationWarning = 4,

    /// <summary>A revocation has occurred.</summary>
    RevocationNotification = 5,
}

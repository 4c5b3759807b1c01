namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>
/// The <c>PKIFailureInfo</c> named bit string of a <c>TimeStampResp</c> (RFC 3161 §2.4.2). Enum bit
/// <c>n</c> is ASN.1 bit <c>n</c>, which is how <see cref="System.Formats.Asn1.AsnWriter.WriteNamedBitList(Enum, System.Formats.Asn1.Asn1Tag?)"/> maps them.
/// </summary>
[Flags]
public enum PkiFailureInfo
{
    /// <summary>No failure bit set.</summary>
    None = 0,

    /// <summary>Unrecognized or unsupported algorithm identifier (bit 0).</summary>
    BadAlg = 1 << 0,

    /// <summary>Transaction not permitted or supported (bit 2).</summary>
    BadRequest = 1 << 2,

    /// <summary>The data submitted has the wrong format (bit 5).</summary>
    BadDataFormat = 1 << 5,

    /// <summary>The TSA's time source is not available (bit 14).</summary>
    TimeNotAvailable = 1 << 14,

    /// <summary>The requested TSA policy is not supported by the TSA (bit 15).</summary>
    UnacceptedPolicy = 1 << 15,

    /// <summary>The requested extension is not supported by the TSA (bit 16).</summary>
    UnacceptedExtension = 1 << 16,

    /// <summary>The additional information requested could not be understood or is not available (bit 17).</summary>
    AddInfoNotAvailable = 1 << 17,

    /// <summary>The request cannot be handled due to system failure (bit 25).</summary>
    SystemFailure = 1 << 25,
}

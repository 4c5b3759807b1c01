namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>The media types of the RFC 3161 HTTP transport (§3.4).</summary>
public static class TimeStampMediaTypes
{
    /// <summary>A DER <c>TimeStampReq</c>.</summary>
    public const string Query = "application/timestamp-query";

    /// <summary>A DER <c>TimeStampResp</c>.</summary>
    public const string Reply = "application/timestamp-reply";
}

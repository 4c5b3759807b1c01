namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>A time-stamp token obtained from a TSA and verified.</summary>
/// <param name="Token">The DER <c>TimeStampToken</c> (a CMS <c>ContentInfo</c>), to store as evidence.</param>
/// <param name="Info">What the token asserts.</param>
public sealed record IssuedTimeStamp(ReadOnlyMemory<byte> Token, TimeStampInfo Info);

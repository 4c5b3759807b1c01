namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>The raw parts of a SignedData.</summary>
internal sealed record SignedDataParts(
    string ContentType,
    bool Detached,
    IReadOnlyList<ReadOnlyMemory<byte>> Certificates,
    IReadOnlyList<SignerParts> Signers);

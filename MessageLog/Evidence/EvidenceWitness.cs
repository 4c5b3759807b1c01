namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>The Central Server's statement that it witnessed the bundle's checkpoint.</summary>
/// <param name="Statement">The canonical <see cref="WitnessStatement"/> bytes.</param>
/// <param name="Signature">Detached CMS SignedData over <paramref name="Statement"/> by a configuration-signing certificate of the anchor.</param>
public sealed record EvidenceWitness(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature);

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// A Central Server's witness statement over one of this log's checkpoints, as stored in the <c>witness</c>
/// table: proof that the checkpoint of <see cref="TreeSize"/> records was shown to the Central Server, which a
/// later history of the log must extend.
/// </summary>
/// <param name="TreeSize">The witnessed checkpoint's tree size.</param>
/// <param name="WitnessedAt">When the Central Server accepted it (the statement's last line).</param>
/// <param name="WitnessUrl">The witness endpoint that answered.</param>
/// <param name="Statement">The statement's canonical bytes (<see cref="Evidence.WitnessStatement.Encode"/>).</param>
/// <param name="Signature">The Central Server's detached CMS over <paramref name="Statement"/>, by a configuration-signing key.</param>
public sealed record StoredWitness(long TreeSize, DateTimeOffset WitnessedAt, string WitnessUrl, ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature);

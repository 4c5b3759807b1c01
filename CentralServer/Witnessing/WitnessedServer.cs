namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>What the Central Server holds for one security server: its last witnessed checkpoint and its refusals.</summary>
/// <param name="ServerId">The server id as submitted (canonical text).</param>
/// <param name="TreeSize">The last witnessed tree size; null when nothing was accepted.</param>
/// <param name="RootHash">Its root, 64 hex digits.</param>
/// <param name="CheckpointCreatedAt">When the server made that checkpoint.</param>
/// <param name="WitnessedAt">When the Central Server accepted it.</param>
/// <param name="Refusals">How many submissions were refused.</param>
/// <param name="LastRefusal">The newest refusal, if any.</param>
internal sealed record WitnessedServer(
    string ServerId,
    long? TreeSize,
    string? RootHash,
    DateTimeOffset? CheckpointCreatedAt,
    DateTimeOffset? WitnessedAt,
    long Refusals,
    WitnessRefusal? LastRefusal);

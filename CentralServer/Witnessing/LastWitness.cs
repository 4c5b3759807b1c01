using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>The checkpoint last witnessed for a server: the size and root every later checkpoint must extend.</summary>
/// <param name="TreeSize">Its tree size.</param>
/// <param name="RootHash">Its root.</param>
internal readonly record struct LastWitness(long TreeSize, MerkleHash RootHash);

using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Records;

/// <summary>A record as stored: its sequence, its fields, its leaf hash and when the log committed it.</summary>
/// <param name="Sequence">The gapless sequence number, from 1.</param>
/// <param name="Record">The fields; <see cref="MessageRecord.At"/> is truncated to microseconds.</param>
/// <param name="LeafHash">The stored RFC 6962 leaf hash.</param>
/// <param name="LoggedAt">The store's clock at commit (operational; not covered by the leaf).</param>
public sealed record LoggedRecord(long Sequence, MessageRecord Record, MerkleHash LeafHash, DateTimeOffset LoggedAt);

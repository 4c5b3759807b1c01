using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Verification;

/// <summary>
/// The checks of a stored checkpoint that the offline verifier and the integrity monitor's verifier share: reading
/// the next row, and that its signed content parses, agrees with its columns and the expected server, and has the
/// root of the records folded so far. Signatures and time-stamps are each verifier's own (their trust differs).
/// </summary>
internal static class CheckpointChecks
{
    /// <summary>The next checkpoint row, null at the end, or why the row is malformed (with its tree size).</summary>
    public static (StoredCheckpoint? Checkpoint, long Size, string? Problem) Next(SqliteDataReader checkpoints)
    {
        if (!checkpoints.Read())
        {
            return (null, 0, null);
        }

        var size = checkpoints.GetInt64(0);
        try
        {
            return (LogRows.ReadCheckpoint(checkpoints), size, null);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException)
        {
            return (null, size, $"checkpoint {size} is malformed: {ex.Message}");
        }
    }

    /// <summary>Null when <paramref name="stored"/>'s content is sound and its root is <paramref name="root"/>; else the failure.</summary>
    /// <param name="stored">The stored checkpoint.</param>
    /// <param name="serverId">The server it must name, when known.</param>
    /// <param name="root">The root of the records folded up to its size.</param>
    /// <param name="content">Its parsed content, when it parses.</param>
    public static (LogVerificationFailure Failure, string Message)? Content(StoredCheckpoint stored, string? serverId, MerkleHash root, out Checkpoint? content)
    {
        var size = stored.TreeSize;
        var parsed = Checkpoint.Parse(stored.Content.Span);
        content = parsed.Success ? parsed.Value : null;
        if (!parsed.Success)
        {
            return (LogVerificationFailure.MalformedCheckpoint, $"checkpoint {size}: {parsed.Message}");
        }

        if (content!.TreeSize != size || content.RootHash != stored.RootHash || content.CreatedAt != stored.CreatedAt)
        {
            return (LogVerificationFailure.MalformedCheckpoint, $"checkpoint {size}: the signed content disagrees with the stored size, root or time");
        }

        if (serverId is not null && !string.Equals(serverId, content.ServerId, StringComparison.Ordinal))
        {
            return (LogVerificationFailure.MalformedCheckpoint, $"checkpoint {size} names server {content.ServerId}, not {serverId}");
        }

        return content.RootHash != root
            ? (LogVerificationFailure.RootMismatch, $"checkpoint {size} root {content.RootHash} is not the root {root} of records 1 to {size}")
            : null;
    }
}

using System.Globalization;
using System.Text.Json;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Storage;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The auditor's view of the message log's tree (issue #7): the signed checkpoints, and RFC 6962 inclusion
/// and consistency proofs against them, served from the stored log by <see cref="MessageLogProofs"/>.
/// </summary>
public static partial class RegistryAdminApi
{
    private const int DefaultCheckpointRead = 20;
    private const int MaxCheckpointRead = 1000;

    private static void MapMessageLog(RouteGroupBuilder api)
    {
        api.MapGet("/message-log/checkpoints", ListCheckpoints).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.checkpoints"));
        api.MapGet("/message-log/records/{sequence}/inclusion", GetInclusionProof).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.inclusion"));
        api.MapGet("/message-log/consistency", GetConsistencyProof).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.consistency"));
    }

    private static IResult ListCheckpoints(HttpContext context)
    {
        var limit = DefaultCheckpointRead;
        if (context.Request.Query.TryGetValue("limit", out var text)
            && (text.Count != 1 || !int.TryParse(text[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxCheckpointRead))
        {
            return Invalid($"limit must be an integer from 1 to {MaxCheckpointRead}.").ToResult();
        }

        var (log, failure) = Optional<MessageLogStore>(context, "a message log (the server is not initialised)");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var checkpoints = log!.Proofs.Checkpoints(limit);
        return WrittenJson(w =>
        {
            w.WriteStartArray();
            foreach (var checkpoint in checkpoints)
            {
                WriteStoredCheckpoint(w, checkpoint);
            }

            w.WriteEndArray();
        });
    }

    private static IResult GetInclusionProof(HttpContext context, string sequence)
    {
        if (!long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return Invalid("The sequence must be a decimal integer.").ToResult();
        }

        var (treeSize, sizeFailure) = RequiredSize(context, "treeSize");
        if (sizeFailure is not null)
        {
            return sizeFailure.ToResult();
        }

        var (log, failure) = Optional<MessageLogStore>(context, "a message log (the server is not initialised)");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var served = log!.Proofs.InclusionProof(seq, treeSize);
        if (!served.IsSuccess)
        {
            return ProofFailure(served.Failure!.Value, served.Message!).ToResult();
        }

        var proof = served.Value!;
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("sequence", proof.Sequence);
            w.WriteNumber("leafIndex", proof.LeafIndex);
            w.WriteNumber("treeSize", proof.Checkpoint.TreeSize);
            w.WriteString("leafHash", proof.LeafHash.ToString());
            WriteHashes(w, "proof", proof.Proof);
            w.WritePropertyName("checkpoint");
            WriteStoredCheckpoint(w, proof.Checkpoint);
            w.WriteEndObject();
        });
    }

    private static IResult GetConsistencyProof(HttpContext context)
    {
        var (from, fromFailure) = RequiredSize(context, "from");
        if (fromFailure is not null)
        {
            return fromFailure.ToResult();
        }

        var (to, toFailure) = RequiredSize(context, "to");
        if (toFailure is not null)
        {
            return toFailure.ToResult();
        }

        var (log, failure) = Optional<MessageLogStore>(context, "a message log (the server is not initialised)");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var served = log!.Proofs.ConsistencyProof(from, to);
        if (!served.IsSuccess)
        {
            return ProofFailure(served.Failure!.Value, served.Message!).ToResult();
        }

        var proof = served.Value!;
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("from", proof.From.TreeSize);
            w.WriteNumber("to", proof.To.TreeSize);
            WriteHashes(w, "proof", proof.Proof);
            w.WritePropertyName("fromCheckpoint");
            WriteStoredCheckpoint(w, proof.From);
            w.WritePropertyName("toCheckpoint");
            WriteStoredCheckpoint(w, proof.To);
            w.WriteEndObject();
        });
    }

    // A tree size in the query: present once and a decimal integer (its range is the proofs' to judge).
    private static (long Value, AdminFailure? Failure) RequiredSize(HttpContext context, string name)
    {
        if (!context.Request.Query.TryGetValue(name, out var text) || text.Count != 1
            || !long.TryParse(text[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return (0, AdminFailure.Delegated(AdminErrors.MessageLogInvalidRange, $"{name} must be given once, as a decimal integer tree size."));
        }

        return (value, null);
    }

    private static AdminFailure ProofFailure(MessageLogProofFailure failure, string message) => failure switch
    {
        MessageLogProofFailure.UnknownSequence or MessageLogProofFailure.NotACheckpoint => AdminFailure.Delegated(AdminErrors.MessageLogNotFound, message),
        MessageLogProofFailure.InvalidRange => AdminFailure.Delegated(AdminErrors.MessageLogInvalidRange, message),
        _ => AdminFailure.Delegated(AdminErrors.MessageLogInconsistent, message),
    };

    private static void WriteHashes(Utf8JsonWriter w, string name, IReadOnlyList<MerkleHash> hashes)
    {
        w.WriteStartArray(name);
        foreach (var hash in hashes)
        {
            w.WriteStringValue(hash.ToString());
        }

        w.WriteEndArray();
    }

    private static void WriteStoredCheckpoint(Utf8JsonWriter w, StoredCheckpoint checkpoint)
    {
        w.WriteStartObject();
        w.WriteNumber("treeSize", checkpoint.TreeSize);
        w.WriteString("rootHash", checkpoint.RootHash.ToString());
        w.WriteString("createdAt", checkpoint.CreatedAt.ToUniversalTime());
        WriteNullableTime(w, "stampedAt", checkpoint.StampedAt);
        WriteNullableString(w, "tsaUrl", checkpoint.TsaUrl);
        w.WriteString("content", Convert.ToBase64String(checkpoint.Content.Span));
        w.WriteString("signature", Convert.ToBase64String(checkpoint.Signature.Span));
        WriteNullableString(w, "timeStampToken", checkpoint.Token is { } token ? Convert.ToBase64String(token.Span) : null);
        w.WriteEndObject();
    }
}

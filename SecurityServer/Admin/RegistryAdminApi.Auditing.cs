using System.Globalization;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Search;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Auditing;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The auditor's search of the message log and the live integrity status (issue #7), permission
/// <see cref="AdminPermission.ReadMessageLog"/>.
/// </summary>
public static partial class RegistryAdminApi
{
    private static readonly HashSet<string> SearchParameters = new(StringComparer.Ordinal)
    {
        "from", "to", "client", "service", "messageId", "requestId", "outcome", "side", "kind", "limit", "after",
    };

    private static void MapAuditing(RouteGroupBuilder api)
    {
        api.MapGet("/message-log/records", SearchRecords).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.search"));
        api.MapGet("/message-log/integrity", GetIntegrity).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.integrity"));
    }

    private static IResult SearchRecords(HttpContext context)
    {
        var (query, invalid) = ReadRecordQuery(context.Request.Query);
        if (invalid is not null)
        {
            return AdminFailure.Delegated(AdminErrors.MessageLogInvalidQuery, invalid).ToResult();
        }

        var (search, failure) = Optional<MessageLogSearch>(context, "a message log (the server is not initialised)");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        RecordPage page;
        try
        {
            page = search!.Search(query!);
        }
        catch (InvalidDataException ex)
        {
            return AdminFailure.Delegated(AdminErrors.MessageLogInconsistent, $"{ex.Message}; run the verifier").ToResult();
        }

        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("records");
            foreach (var record in page.Records)
            {
                WriteSummary(w, record);
            }

            w.WriteEndArray();
            if (page.Next is { } next)
            {
                w.WriteNumber("next", next);
            }
            else
            {
                w.WriteNull("next");
            }

            w.WriteEndObject();
        });
    }

    private static IResult GetIntegrity(HttpContext context, TimeProvider time)
    {
        var (log, failure) = Optional<MessageLogStore>(context, "a message log (the server is not initialised)");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (monitor, noMonitor) = Optional<IntegrityMonitor>(context, "an integrity monitor");
        if (noMonitor is not null)
        {
            return noMonitor.ToResult();
        }

        var now = time.GetUtcNow();
        var stamping = log!.GetTimeStampingStatus();
        var status = monitor!.Status;
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            WriteAgedCheckpoint(w, "lastCheckpoint", stamping.LastCheckpoint, now, c => c.CreatedAt);
            WriteAgedCheckpoint(w, "lastStampedCheckpoint", stamping.LastStampedCheckpoint, now, c => c.StampedAt ?? c.CreatedAt);
            w.WriteStartObject("monitor");
            w.WriteString("state", status.State switch
            {
                IntegrityState.Ok => "ok",
                IntegrityState.Failed => "failed",
                _ => "not_run",
            });
            WriteNullableTime(w, "lastRunAt", status.LastRunAt);
            WriteNullableString(w, "lastRunResult", status.LastRunResult);
            WriteNullableString(w, "lastRunMessage", status.LastRunMessage);
            w.WriteNumber("verifiedTreeSize", status.VerifiedTreeSize);
            w.WriteNumber("fullVerificationPosition", status.FullVerificationPosition);
            WriteNullableTime(w, "lastFullVerificationAt", status.LastFullVerificationAt);
            w.WriteNumber("findings", status.Findings);
            if (status.Finding is { } finding)
            {
                w.WriteStartObject("finding");
                w.WriteString("code", finding.Code);
                w.WriteString("item", finding.Item);
                WriteNullableNumber(w, "sequence", finding.Sequence);
                WriteNullableNumber(w, "checkpointTreeSize", finding.CheckpointTreeSize);
                w.WriteString("message", finding.Message);
                w.WriteString("detectedAt", finding.DetectedAt.ToUniversalTime());
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("finding");
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>Reads the search's query string; the problem names the parameter.</summary>
    internal static (RecordQuery? Query, string? Problem) ReadRecordQuery(IQueryCollection parameters)
    {
        foreach (var (name, values) in parameters)
        {
            if (!SearchParameters.Contains(name))
            {
                return (null, $"{name}: unknown parameter (known: {string.Join(", ", SearchParameters)}).");
            }

            if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
            {
                return (null, $"{name}: give it once, with a value.");
            }
        }

        string? Text(string name) => parameters.TryGetValue(name, out var v) ? v[0] : null;
        var query = new RecordQuery();
        if (Text("from") is { } fromText)
        {
            if (ParseInstant(fromText) is not { } from)
            {
                return (null, "from: must be an RFC 3339 time with a zone, e.g. 2026-03-01T12:00:00Z.");
            }

            query = query with { From = from };
        }

        if (Text("to") is { } toText)
        {
            if (ParseInstant(toText) is not { } to)
            {
                return (null, "to: must be an RFC 3339 time with a zone, e.g. 2026-03-01T13:00:00Z.");
            }

            if (query.From is { } start && to <= start)
            {
                return (null, "to: must be after from.");
            }

            query = query with { To = to };
        }

        if (Text("client") is { } clientText)
        {
            var client = ClientId.TryParse(clientText);
            if (!client.Success)
            {
                return (null, $"client: {client.Message}");
            }

            query = query with { ClientId = client.Value!.ToString() };
        }

        if (Text("service") is { } serviceText)
        {
            var service = ServiceId.TryParse(serviceText);
            if (!service.Success)
            {
                return (null, $"service: {service.Message}");
            }

            query = query with { ServiceId = service.Value!.ToString() };
        }

        if (Text("messageId") is { } messageId)
        {
            if (messageId.Length > Common.Exchange.HeadCodec.MaxMessageIdLength)
            {
                return (null, $"messageId: at most {Common.Exchange.HeadCodec.MaxMessageIdLength} characters.");
            }

            query = query with { MessageId = messageId };
        }

        if (Text("requestId") is { } requestId)
        {
            if (!Guid.TryParseExact(requestId, "D", out var request))
            {
                return (null, "requestId: a UUID in its 36-character form (the X-Road-Request-Id header).");
            }

            query = query with { RequestId = request };
        }

        switch (Text("outcome"))
        {
            case null: break;
            case "success": query = query with { Outcome = RecordOutcome.Success }; break;
            case "error": query = query with { Outcome = RecordOutcome.Error }; break;
            default: return (null, "outcome: must be success or error.");
        }

        switch (Text("side"))
        {
            case null: break;
            case "client": query = query with { Side = RecordSide.Client }; break;
            case "server": query = query with { Side = RecordSide.Server }; break;
            default: return (null, "side: must be client or server.");
        }

        switch (Text("kind"))
        {
            case null: break;
            case "request": query = query with { Kind = RecordKind.Request }; break;
            case "response": query = query with { Kind = RecordKind.Response }; break;
            default: return (null, "kind: must be request or response.");
        }

        if (Text("limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > RecordQuery.MaxLimit)
            {
                return (null, $"limit: must be an integer from 1 to {RecordQuery.MaxLimit}.");
            }

            query = query with { Limit = limit };
        }

        if (Text("after") is { } afterText)
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            {
                return (null, "after: must be a record sequence number (a non-negative integer).");
            }

            query = query with { After = after };
        }

        return (query, null);
    }

    // RFC 3339 date-time: a 'T', seconds, and a zone ('Z' or ±hh:mm); nothing local or ambiguous.
    private static DateTimeOffset? ParseInstant(string text)
    {
        var zoned = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return zoned && text.Length >= 20 && text[10] == 'T'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    private static void WriteSummary(Utf8JsonWriter w, RecordSummary r)
    {
        w.WriteStartObject();
        w.WriteNumber("sequence", r.Sequence);
        w.WriteString("at", r.At.ToUniversalTime());
        w.WriteString("loggedAt", r.LoggedAt.ToUniversalTime());
        w.WriteString("side", r.Side == RecordSide.Client ? "client" : "server");
        w.WriteString("kind", r.Kind == RecordKind.Request ? "request" : "response");
        w.WriteString("messageId", r.MessageId);
        w.WriteString("requestId", r.RequestId.ToString("D"));
        w.WriteString("client", r.ClientId);
        w.WriteString("service", r.ServiceId);
        WriteNullableString(w, "userId", r.UserId);
        WriteNullableNumber(w, "httpStatus", r.HttpStatus);
        WriteNullableString(w, "errorCode", r.ErrorCode);
        w.WriteString("outcome", r.Outcome == RecordOutcome.Success ? "success" : "error");
        w.WriteNumber("bodyLength", r.BodyLength);
        w.WriteString("bodyState", r.BodyState switch
        {
            BodyLocation.Present => "present",
            BodyLocation.NotLogged => "not-logged",
            BodyLocation.Erased => "erased",
            _ => "archived",
        });
        w.WriteString("leafHash", r.LeafHash.ToString());
        w.WriteEndObject();
    }

    private static void WriteAgedCheckpoint(Utf8JsonWriter w, string name, CheckpointStatus? checkpoint, DateTimeOffset now, Func<CheckpointStatus, DateTimeOffset> since)
    {
        if (checkpoint is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteNumber("treeSize", checkpoint.TreeSize);
        w.WriteString("createdAt", checkpoint.CreatedAt.ToUniversalTime());
        WriteNullableTime(w, "stampedAt", checkpoint.StampedAt);
        w.WriteNumber("ageSeconds", Math.Max(0, (long)Math.Floor((now - since(checkpoint)).TotalSeconds)));
        w.WriteEndObject();
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}

using System.Globalization;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Search;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Auditing;
using Microsoft.Net.Http.Headers;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The auditor's evidence (issue #7): the evidence bundle of one record or of one exchange (request and
/// response), and an export of the log between two checkpoints, each checked offline by <c>xgw-audit</c>.
/// The trust material is the global configuration that was in force at the record's time
/// (<see cref="GlobalConfigurationHistory"/>), or the current one when the history does not reach back so far.
/// </summary>
public static partial class RegistryAdminApi
{
    private const string NoMessageLog = "a message log (the server is not initialised)";

    private static void MapEvidence(RouteGroupBuilder api)
    {
        api.MapGet("/message-log/records/{sequence}/bundle", GetRecordBundle).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.bundle"));
        api.MapGet("/message-log/exchanges/{requestId}/bundle", GetExchangeBundle).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.exchange-bundle"));
        api.MapGet("/message-log/export", ExportLog).WithMetadata(new AdminAccess(AdminPermission.ReadMessageLog, "message-log.export"));
    }

    private static IResult GetRecordBundle(HttpContext context, string sequence)
    {
        if (!long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) || seq < 1)
        {
            return Invalid("The sequence must be a decimal integer of at least 1.").ToResult();
        }

        var (log, failure) = Optional<MessageLogStore>(context, NoMessageLog);
        return failure?.ToResult() ?? Bundle(context, log!, [seq]);
    }

    private static IResult GetExchangeBundle(HttpContext context, string requestId)
    {
        if (!Guid.TryParseExact(requestId, "D", out var request))
        {
            return AdminFailure.Delegated(AdminErrors.MessageLogInvalidQuery, "requestId: a UUID in its 36-character form (the X-Road-Request-Id header).").ToResult();
        }

        RecordSide? side = null;
        if (context.Request.Query.TryGetValue("side", out var sideText))
        {
            side = sideText.Count == 1 ? sideText[0] switch { "client" => RecordSide.Client, "server" => RecordSide.Server, _ => null } : null;
            if (side is null)
            {
                return AdminFailure.Delegated(AdminErrors.MessageLogInvalidQuery, "side: client or server, once.").ToResult();
            }
        }

        var (log, failure) = Optional<MessageLogStore>(context, NoMessageLog);
        var (search, noSearch) = Optional<MessageLogSearch>(context, NoMessageLog);
        if ((failure ?? noSearch) is { } missing)
        {
            return missing.ToResult();
        }

        var found = search!.Search(new RecordQuery { RequestId = request, Side = side, Limit = 4 }).Records;
        if (found.Count == 0)
        {
            return AdminFailure.Delegated(AdminErrors.MessageLogNotFound, $"No record of request id {request}{(side is null ? string.Empty : " on the " + sideText[0] + " side")} is in this server's log.").ToResult();
        }

        if (found.Select(r => r.Side).Distinct().Count() > 1)
        {
            return AdminFailure.Delegated(AdminErrors.MessageLogInvalidQuery, "side: this server logged both sides of the exchange; say side=client or side=server.").ToResult();
        }

        // One request and at most one response per side: anything else is not a single exchange.
        var requestRecord = found.Where(r => r.Kind == RecordKind.Request).ToList();
        var responseRecord = found.Where(r => r.Kind == RecordKind.Response).ToList();
        if (requestRecord.Count > 1 || responseRecord.Count > 1)
        {
            return AdminFailure.Delegated(AdminErrors.MessageLogInconsistent, $"Request id {request} has {requestRecord.Count} request and {responseRecord.Count} response records on one side; fetch them one by one.").ToResult();
        }

        return Bundle(context, log!, [.. requestRecord.Concat(responseRecord).Select(r => r.Sequence).Order()]);
    }

    private static IResult Bundle(HttpContext context, MessageLogStore log, IReadOnlyList<long> sequences)
    {
        var proofs = log.Proofs;
        var records = new List<LoggedRecord>(sequences.Count);
        var erased = new HashSet<long>();
        var sealedBodies = new HashSet<long>();
        foreach (var sequence in sequences)
        {
            var read = log.Read(sequence);
            if (read.Record is not { } stored)
            {
                return read.Failure == RecordReadFailure.UnknownSequence
                    ? AdminFailure.Delegated(AdminErrors.MessageLogNotFound, $"Record {sequence} is not in the log.").ToResult()
                    : AdminFailure.Delegated(AdminErrors.MessageLogInconsistent, $"Record {sequence} cannot be read back from archive {read.ArchiveId}: {read.Message}").ToResult();
            }

            records.Add(stored.Logged);
            (stored.BodyState == RecordBodyState.Erased ? erased : stored.BodyState == RecordBodyState.Encrypted ? sealedBodies : null)?.Add(sequence);
        }

        var checkpoint = proofs.OldestStampedCheckpointCovering(sequences.Max());
        if (checkpoint is null)
        {
            return AdminFailure.Delegated(
                AdminErrors.MessageLogNotYetCheckpointed,
                $"No time-stamped checkpoint covers record {sequences.Max()} yet; checkpoints are made every second while the time-stamping service answers. Try again shortly.").ToResult();
        }

        var inclusion = new List<InclusionProofResult>(sequences.Count);
        foreach (var sequence in sequences)
        {
            var proof = proofs.InclusionProof(sequence, checkpoint.TreeSize);
            if (!proof.IsSuccess)
            {
                return ProofFailure(proof.Failure!.Value, proof.Message!).ToResult();
            }

            inclusion.Add(proof.Value!);
        }

        var (trust, noTrust) = TrustAt(context, records[0].Record.At);
        if (noTrust is not null)
        {
            return noTrust.ToResult();
        }

        var witness = log.WitnessAt(checkpoint.TreeSize);
        var bundle = EvidenceBundleBuilder.Build(
            records,
            inclusion,
            trust!,
            witness is null ? null : (witness.Statement, witness.Signature),
            context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            erased,
            sealedBodies);
        var name = string.Create(CultureInfo.InvariantCulture, $"evidence-{string.Join('-', sequences)}{EvidenceBundle.FileExtension}");
        return Results.File(EvidenceBundleSerializer.Write(bundle), EvidenceBundle.MediaType, name);
    }

    private static async Task<IResult> ExportLog(HttpContext context, CancellationToken cancellationToken)
    {
        var (log, failure) = Optional<MessageLogStore>(context, NoMessageLog);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        long from = 0;
        if (context.Request.Query.ContainsKey("from"))
        {
            var (value, bad) = RequiredSize(context, "from");
            if (bad is not null)
            {
                return bad.ToResult();
            }

            from = value;
        }

        long to;
        if (context.Request.Query.ContainsKey("to"))
        {
            var (value, bad) = RequiredSize(context, "to");
            if (bad is not null)
            {
                return bad.ToResult();
            }

            to = value;
        }
        else if (log!.LastStampedCheckpoint is { } stamped)
        {
            to = stamped.TreeSize;
        }
        else
        {
            return AdminFailure.Delegated(AdminErrors.MessageLogNotYetCheckpointed, "No checkpoint has been time-stamped yet; nothing can be exported.").ToResult();
        }

        var (trust, noTrust) = TrustAt(context, log!.GetCheckpoint(to)?.CreatedAt ?? context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        if (noTrust is not null)
        {
            return noTrust.ToResult();
        }

        // The writer checks everything before its first byte, so a refusal can still become a problem response.
        context.Response.ContentType = LogExportFormat.MediaType;
        context.Response.Headers[HeaderNames.ContentDisposition] = string.Create(
            CultureInfo.InvariantCulture, $"attachment; filename=\"log-{from}-{to}{LogExportFormat.FileExtension}\"");
        var written = await LogExportWriter.WriteAsync(
            log.DatabasePath,
            from,
            to,
            trust!,
            [],
            context.Response.Body,
            new LogExportWriterOptions
            {
                Time = context.RequestServices.GetRequiredService<TimeProvider>(),
                Proofs = log.Proofs,
                ArchivedRecord = sequence => log.Read(sequence).Record,
            },
            cancellationToken).ConfigureAwait(false);
        if (written.IsSuccess)
        {
            return Results.Empty;
        }

        context.Response.Headers.Remove(HeaderNames.ContentDisposition);
        var code = written.Failure switch
        {
            LogExportFailure.InvalidRange => AdminErrors.MessageLogInvalidRange,
            LogExportFailure.NotACheckpoint => AdminErrors.MessageLogNotFound,
            LogExportFailure.RecordUnavailable => AdminErrors.MessageLogNotFound,
            _ => AdminErrors.MessageLogInconsistent,
        };
        return AdminFailure.Delegated(code, written.Message ?? written.ToString()).ToResult();
    }

    // The trust material in force at `at`: from the configuration history, else (a history that does not reach
    // back so far, e.g. records from before this release) the configuration held now.
    private static (EvidenceTrust? Trust, AdminFailure? Failure) TrustAt(HttpContext context, DateTimeOffset at)
    {
        if (context.RequestServices.GetService<GlobalConfigurationHistory>()?.TrustAt(at) is { } historical)
        {
            return historical.IsValid
                ? (historical.Value, null)
                : (null, AdminFailure.Delegated(AdminErrors.MessageLogInconsistent, $"The configuration history cannot supply the trust material of {at:O}: {historical.Message}"));
        }

        var client = context.RequestServices.GetService<ConfigurationClient>();
        if (client?.CurrentSigned is not { } signed || client.Current is not { } configuration)
        {
            return (null, new AdminFailure(AdminFailureKind.Unavailable, "No global configuration is held yet; evidence carries its trust material."));
        }

        return (GlobalConfigurationHistory.TrustOf(signed, configuration, ConfigurationAnchorSerializer.Write(client.Anchor)), null);
    }
}

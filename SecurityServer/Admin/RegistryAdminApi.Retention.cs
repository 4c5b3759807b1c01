using System.Globalization;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// Runs a message-log retention pass now (issue #7): body retention, then archiving, as the background job
/// would, and reports what it did (system administrators, <c>ManageSystem</c>).
/// </summary>
public static partial class RegistryAdminApi
{
    private static void MapMessageLogRetention(RouteGroupBuilder api) =>
        api.MapPost("/message-log/retention-runs", (Delegate)RunRetention).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "message-log.retention-run"));

    private static async Task<IResult> RunRetention(HttpContext context)
    {
        // Archives are signed by the server's owner: there is none before initialisation.
        if (context.RequestServices.GetService<LocalConfigurationStore>()?.Current is null)
        {
            return new AdminFailure(AdminFailureKind.ServerNotInitialised, "The server is not initialised: there is no owner to sign archives.").ToResult();
        }

        var (archiver, failure) = Optional<MessageLogArchiver>(context, "a message log archiver");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var result = await archiver!.RunOnceAsync(context.RequestAborted).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return AdminFailure.Delegated(
                AdminErrors.MessageLogRetentionFailed,
                string.Create(CultureInfo.InvariantCulture, $"The retention pass stopped: {result.Failure} Done before it stopped: {result.BodiesErased} bodies erased, {result.RecordsArchived} records archived in {result.Archives.Count} archives.")).ToResult();
        }

        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("startedAt", result.StartedAt.ToUniversalTime());
            w.WriteNumber("bodiesErased", result.BodiesErased);
            w.WriteNumber("recordsArchived", result.RecordsArchived);
            w.WriteNumber("archivedThrough", result.ArchivedThrough);
            w.WriteNumber("stampedTreeSize", result.StampedTreeSize);
            w.WriteStartArray("archives");
            foreach (var archive in result.Archives)
            {
                w.WriteStartObject();
                w.WriteNumber("id", archive.Id);
                w.WriteNumber("firstSequence", archive.FirstSequence);
                w.WriteNumber("lastSequence", archive.LastSequence);
                w.WriteString("fileName", archive.FileName);
                w.WriteNumber("bytes", archive.Bytes);
                w.WriteNumber("bodies", archive.Bodies);
                w.WriteBoolean("encrypted", archive.Encrypted);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}

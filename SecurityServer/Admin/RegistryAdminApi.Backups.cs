using ExchangeGateway.SecurityServer.Backup;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The backup endpoints of the admin API, under <c>/api/v1/backups</c> (system administrators, loopback only).</summary>
public static partial class RegistryAdminApi
{
    private const string BackupMediaType = "application/x-tar";

    private static void MapBackups(RouteGroupBuilder api)
    {
        api.MapPost("/backups", CreateBackup).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "backup.create", LoopbackOnly: true));
        api.MapGet("/backups", ListBackups).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "backup.list", LoopbackOnly: true));
        api.MapGet("/backups/{name}", DownloadBackup).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "backup.download", LoopbackOnly: true));
        api.MapDelete("/backups/{name}", DeleteBackup).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "backup.delete", LoopbackOnly: true));
        api.MapPost("/backups/restore", (Delegate)RestoreBackup).WithMetadata(new AdminAccess(AdminPermission.ManageSystem, "backup.restore", LoopbackOnly: true));
    }

    private static IResult CreateBackup(HttpContext context)
    {
        if (Backups(context) is not { } backups)
        {
            return NoBackups();
        }

        var created = backups.Create();
        if (!created.Success)
        {
            return BackupRefused(context, "backup.create", "-", created.Code, created.Message);
        }

        var info = created.Value;
        AdminLog.Changed(Log(context), "backup.create", info.Name, AdminCaller.From(context).Key.Id);
        context.Response.Headers.Location = $"{Prefix}/backups/{Uri.EscapeDataString(info.Name)}";
        return Results.Json(new { name = info.Name, size = info.Size, sha256 = info.Sha256 }, Json, statusCode: StatusCodes.Status201Created);
    }

    private static IResult ListBackups(HttpContext context) =>
        Backups(context) is { } backups
            ? Results.Json(backups.List().Select(b => new { name = b.Name, size = b.Size, sha256 = b.Sha256, createdAt = b.CreatedAt }), Json)
            : NoBackups();

    private static IResult DownloadBackup(HttpContext context)
    {
        if (Backups(context) is not { } backups)
        {
            return NoBackups();
        }

        var (name, failure) = AdminPath.Read(context, "name");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var found = backups.Find(name!);
        if (!found.Success)
        {
            return BackupProblem(found.Code, found.Message);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(found.Value, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return BackupProblem(BackupErrors.NotFound, "No backup has this name.");
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.File(stream, BackupMediaType, name);
    }

    private static IResult DeleteBackup(HttpContext context)
    {
        if (Backups(context) is not { } backups)
        {
            return NoBackups();
        }

        var (name, failure) = AdminPath.Read(context, "name");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var deleted = backups.Delete(name!);
        if (!deleted.Success)
        {
            return BackupRefused(context, "backup.delete", name!, deleted.Code, deleted.Message);
        }

        AdminLog.Changed(Log(context), "backup.delete", name!, AdminCaller.From(context).Key.Id);
        return Results.NoContent();
    }

    private static async Task<IResult> RestoreBackup(HttpContext context)
    {
        if (Backups(context) is not { } backups)
        {
            return NoBackups();
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return new AdminFailure(AdminFailureKind.UnsupportedMediaType, "The body must be the backup file (Content-Type: application/octet-stream).").ToResult();
        }

        // The listener's default body limit is small; the service enforces MaxBackupBytes while it reads.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var restored = await backups.RestoreAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        if (!restored.Success)
        {
            return BackupRefused(context, "backup.restore", "-", restored.Code, restored.Message);
        }

        AdminLog.Changed(Log(context), "backup.restore", restored.Value.ServerId.ToString(), AdminCaller.From(context).Key.Id);
        return Results.Json(new { serverId = restored.Value.ServerId.ToString(), restoredFiles = restored.Value.RestoredFiles }, Json);
    }

    private static BackupService? Backups(HttpContext context) => context.RequestServices.GetService<BackupService>();

    private static ILogger Log(HttpContext context) => context.RequestServices.GetRequiredService<ILogger<BackupService>>();

    private static IResult BackupRefused(HttpContext context, string action, string target, string code, string message)
    {
        AdminLog.ChangeRefused(Log(context), action, target, AdminCaller.From(context).Key.Id, code);
        return BackupProblem(code, message);
    }

    // A wiring error (AddBackups not called), reported as such rather than as a missing route.
    private static IResult NoBackups() =>
        BackupProblem(BackupErrors.WriteFailed, "Backups are not configured on this server (AddBackups).");

    private static IResult BackupProblem(string code, string message) => Results.Problem(
        detail: message,
        statusCode: BackupErrors.Status(code),
        title: code,
        type: "urn:exchange-gateway:problem:" + code,
        extensions: new Dictionary<string, object?> { ["code"] = code });
}

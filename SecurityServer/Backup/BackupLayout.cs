using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Descriptions;

namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>
/// What a backup holds and where each part lives on this server: <c>serverconf.json</c>, the token's
/// <c>keys/</c> (still encrypted), the anchor as <c>anchor.json</c>, <c>descriptions/</c>,
/// <c>timestamping-services.json</c> and the admin API key file. Paths inside a backup use only
/// <c>[A-Za-z0-9._-]</c> segments, so no entry can point outside its place.
/// </summary>
internal sealed class BackupLayout
{
    public const string ServerConf = "serverconf.json";
    public const string Anchor = "anchor.json";
    public const string Timestamping = "timestamping-services.json";
    public const string ApiKeys = AdminApiKeyStore.FileName;
    public const string Keys = "keys";
    public const string Descriptions = DescriptionDocuments.FolderName;

    private const int MaxPathLength = 255;
    private const int MaxSegmentLength = 128;

    private static readonly string[] FileRoots = [ServerConf, Anchor, Timestamping, ApiKeys];
    private static readonly string[] DirectoryRoots = [Keys, Descriptions];

    public BackupLayout(string registryDirectory, string keysDirectory, string anchorPath)
    {
        Items =
        [
            new(ServerConf, Path.GetFullPath(Path.Combine(registryDirectory, ServerConf)), false),
            new(Keys, Path.GetFullPath(keysDirectory), true),
            new(Anchor, Path.GetFullPath(anchorPath), false),
            new(Descriptions, Path.GetFullPath(Path.Combine(registryDirectory, Descriptions)), true),
            new(Timestamping, Path.GetFullPath(Path.Combine(registryDirectory, Timestamping)), false),
            new(ApiKeys, Path.GetFullPath(Path.Combine(registryDirectory, ApiKeys)), false),
        ];
    }

    /// <summary>Each part: its name in the backup, where it lives, and whether it is a directory.</summary>
    public IReadOnlyList<Item> Items { get; }

    /// <summary>The part a backup path belongs to (its first segment).</summary>
    public Item ItemOf(string backupPath)
    {
        var root = backupPath.Split('/')[0];
        return Items.Single(i => i.Name == root);
    }

    /// <summary>Null when <paramref name="path"/> may appear in a backup; otherwise why not.</summary>
    public static string? CheckPath(string path)
    {
        if (path.Length is 0 or > MaxPathLength)
        {
            return $"a path must have 1 to {MaxPathLength} characters";
        }

        var segments = path.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length is 0 or > MaxSegmentLength || segment[0] == '.'
                || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"'{(path.Length > 60 || path.Any(char.IsControl) ? "…" : path)}' is not an allowed path (segments of A-Z a-z 0-9 . _ -, not starting with '.')";
            }
        }

        return (segments.Length == 1 && FileRoots.Contains(segments[0])) || (segments.Length > 1 && DirectoryRoots.Contains(segments[0]))
            ? null
            : $"'{path}' is none of {string.Join(", ", FileRoots)}, {string.Join("/…, ", DirectoryRoots)}/…";
    }

    /// <summary>One part of the backup.</summary>
    /// <param name="Name">Its name in the backup (under <c>files/</c>).</param>
    /// <param name="FullPath">Where it lives on this server.</param>
    /// <param name="IsDirectory">True for <c>keys</c> and <c>descriptions</c>.</param>
    public sealed record Item(string Name, string FullPath, bool IsDirectory);
}

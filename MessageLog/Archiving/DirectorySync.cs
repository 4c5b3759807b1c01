using System.ComponentModel;
using System.Runtime.InteropServices;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// fsync(2) of a directory, so that a file just renamed into it survives power loss. .NET cannot open a
/// directory as a file, so this calls libc. Not needed on Windows, whose file system journals renames.
/// </summary>
internal static partial class DirectorySync
{
    // O_RDONLY: opens a directory on Linux (O_DIRECTORY differs between architectures, and is not needed).
    private const int ReadOnly = 0;

    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to flush it.", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed.", new Win32Exception(Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

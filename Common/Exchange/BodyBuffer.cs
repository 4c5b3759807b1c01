using System.Buffers;
using System.Security.Cryptography;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// A message body read once into pooled memory while its SHA-512 is computed. This one copy is what is
/// signed, logged and sent on: nothing is spooled to disk and nothing is buffered twice. The reader
/// stops at the size limit, so a body over the limit costs at most the limit in memory.
/// </summary>
public sealed class BodyBuffer : IDisposable
{
    private const int Chunk = 64 * 1024;
    private readonly bool _pooled;
    private byte[] _buffer;
    private bool _disposed;

    private BodyBuffer(byte[] buffer, int length, byte[] digest, bool pooled = true)
    {
        _buffer = buffer;
        Length = length;
        Digest = digest;
        _pooled = pooled;
    }

    /// <summary>The body length.</summary>
    public int Length { get; }

    /// <summary>SHA-512 of the body.</summary>
    public byte[] Digest { get; }

    /// <summary>The body bytes (valid until disposed).</summary>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffer.AsMemory(0, Length);
        }
    }

    /// <summary>An empty body.</summary>
    public static BodyBuffer Empty() => new([], 0, SHA512.HashData(ReadOnlySpan<byte>.Empty));

    /// <summary>A body the gateway made itself (a metaservice answer, a SOAP part with the request hash added); the array is not pooled.</summary>
    public static BodyBuffer FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new BodyBuffer(bytes, bytes.Length, SHA512.HashData(bytes), pooled: false);
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end, or exactly <paramref name="expectedLength"/> bytes when
    /// given. Returns null when the body is longer than <paramref name="maxBytes"/> (or than expected), or
    /// shorter than expected; what was read is returned to the pool.
    /// </summary>
    public static async ValueTask<BodyBuffer?> ReadAsync(Stream stream, long maxBytes, long? expectedLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - 1);
        if (expectedLength is { } e && (e < 0 || e > maxBytes))
        {
            return null;
        }

        var limit = expectedLength ?? maxBytes;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(expectedLength ?? Chunk, 1), limit + 1));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Grow; the old array goes back to the pool at once.
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, length, read);
                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (expectedLength is { } exact && length != exact)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }

        return new BodyBuffer(buffer, length, hash.GetHashAndReset());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_pooled && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
    }
}

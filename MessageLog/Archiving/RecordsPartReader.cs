using System.Buffers.Binary;
using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// Reads the records part written by <see cref="RecordsPartWriter"/>, one entry at a time, under the
/// limits of <see cref="ArchiveLayout"/>. Malformed framing is a value (<see cref="Problem"/>), never an
/// exception; nothing here decides whether an entry is right: that is the caller's check.
/// </summary>
internal sealed class RecordsPartReader
{
    private readonly Stream _input;
    private readonly byte[] _scratch = new byte[MerkleHash.SizeInBytes];

    public RecordsPartReader(Stream input)
    {
        _input = input;
    }

    /// <summary>What was wrong with the framing, once a read returned false.</summary>
    public string? Problem { get; private set; }

    /// <summary>Reads and checks the magic line.</summary>
    public bool ReadMagic()
    {
        var magic = new byte[ArchiveLayout.RecordsMagic.Length];
        if (!Fill(magic) || !magic.AsSpan().SequenceEqual(ArchiveLayout.RecordsMagic))
        {
            Problem = "the records part does not start with its magic line";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads the next entry. With <paramref name="skipBody"/> the body is skipped (seeking when the stream
    /// can) and <see cref="ArchiveEntry.Body"/> is null. False at a framing error (<see cref="Problem"/>).
    /// </summary>
    public bool TryRead(bool skipBody, out ArchiveEntry? entry)
    {
        entry = null;
        if (!Fill(_scratch.AsSpan(0, 8)))
        {
            Problem = "the records part ends before the manifest's last record";
            return false;
        }

        var sequence = BinaryPrimitives.ReadInt64BigEndian(_scratch);
        var leaf = new byte[MerkleHash.SizeInBytes];
        if (!Fill(leaf) || !Fill(_scratch.AsSpan(0, 4)))
        {
            return Truncated(sequence);
        }

        var canonicalLength = BinaryPrimitives.ReadUInt32BigEndian(_scratch);
        if (canonicalLength > ArchiveLayout.MaxCanonicalBytes)
        {
            Problem = $"the entry of record {sequence} claims {canonicalLength} bytes of canonical record, more than {ArchiveLayout.MaxCanonicalBytes}";
            return false;
        }

        var canonical = new byte[canonicalLength];
        if (!Fill(canonical) || !Fill(_scratch.AsSpan(0, 1)))
        {
            return Truncated(sequence);
        }

        var kind = (ArchivedBody)_scratch[0];
        byte[]? body = null;
        byte[]? tag = null;
        switch (kind)
        {
            case ArchivedBody.NotLogged or ArchivedBody.Erased:
                break;
            case ArchivedBody.Plain or ArchivedBody.Encrypted:
                if (!Fill(_scratch.AsSpan(0, 8)))
                {
                    return Truncated(sequence);
                }

                var length = BinaryPrimitives.ReadInt64BigEndian(_scratch);
                if (length is < 0 or > ArchiveLayout.MaxBodyBytes)
                {
                    Problem = $"the entry of record {sequence} claims a body of {length} bytes";
                    return false;
                }

                var stored = length + (kind == ArchivedBody.Encrypted ? ArchiveLayout.TagBytes : 0);
                if (skipBody)
                {
                    if (!Skip(stored))
                    {
                        return Truncated(sequence);
                    }

                    break;
                }

                body = new byte[length];
                if (!Fill(body))
                {
                    return Truncated(sequence);
                }

                if (kind == ArchivedBody.Encrypted)
                {
                    tag = new byte[ArchiveLayout.TagBytes];
                    if (!Fill(tag))
                    {
                        return Truncated(sequence);
                    }
                }

                break;
            default:
                Problem = $"the entry of record {sequence} has body byte {(byte)kind}, not 0 to 3";
                return false;
        }

        entry = new ArchiveEntry
        {
            Sequence = sequence,
            Leaf = new MerkleHash(leaf),
            Canonical = canonical,
            BodyKind = kind,
            Body = body,
            Tag = tag,
        };
        return true;
    }

    /// <summary>True when the part has no bytes left.</summary>
    public bool AtEnd() => _input.ReadByte() < 0;

    private bool Truncated(long sequence)
    {
        Problem = $"the records part ends inside the entry of record {sequence}";
        return false;
    }

    private bool Fill(Span<byte> buffer)
    {
        var read = _input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return read == buffer.Length;
    }

    private bool Skip(long count)
    {
        if (_input.CanSeek)
        {
            if (_input.Length - _input.Position < count)
            {
                return false;
            }

            _input.Seek(count, SeekOrigin.Current);
            return true;
        }

        var buffer = new byte[(int)Math.Min(count, 64 * 1024)];
        while (count > 0)
        {
            var n = _input.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (n == 0)
            {
                return false;
            }

            count -= n;
        }

        return true;
    }
}

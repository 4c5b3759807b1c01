using System.Buffers.Binary;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// Writes the records part: the magic line, then per record in sequence order: sequence (u64), leaf hash
/// (32 bytes), canonical bytes (u32 length + bytes), the body byte (<see cref="ArchivedBody"/>) and, for a
/// body, u64 length + the body (or the AES-256-GCM ciphertext followed by its 16-byte tag). Integers are big-endian.
/// </summary>
internal sealed class RecordsPartWriter : IDisposable
{
    private readonly Stream _output;
    private readonly AesGcm? _aes;
    private readonly byte[] _scratch = new byte[8];

    /// <param name="output">Where the part goes (the caller hashes it).</param>
    /// <param name="key">The archive's AES-256 key when bodies are encrypted; null for plain bodies.</param>
    public RecordsPartWriter(Stream output, byte[]? key)
    {
        _output = output;
        _aes = key is null ? null : new AesGcm(key, ArchiveLayout.TagBytes);
        output.Write(ArchiveLayout.RecordsMagic);
    }

    public bool Encrypts => _aes is not null;

    /// <summary>Writes one record; <paramref name="body"/> is null when <paramref name="noBody"/> says why there is none.</summary>
    public void Write(long sequence, MerkleHash leaf, ReadOnlySpan<byte> canonical, ReadOnlyMemory<byte>? body, ArchivedBody noBody)
    {
        BinaryPrimitives.WriteInt64BigEndian(_scratch, sequence);
        _output.Write(_scratch);
        _output.Write(leaf.AsSpan());
        BinaryPrimitives.WriteUInt32BigEndian(_scratch, checked((uint)canonical.Length));
        _output.Write(_scratch.AsSpan(0, 4));
        _output.Write(canonical);
        if (body is not { } plain)
        {
            _output.WriteByte((byte)noBody);
            return;
        }

        _output.WriteByte((byte)(_aes is null ? ArchivedBody.Plain : ArchivedBody.Encrypted));
        BinaryPrimitives.WriteInt64BigEndian(_scratch, plain.Length);
        _output.Write(_scratch);
        if (_aes is null)
        {
            _output.Write(plain.Span);
            return;
        }

        var cipher = new byte[plain.Length];
        var tag = new byte[ArchiveLayout.TagBytes];
        // The leaf hash is the associated data: a body moved to another record, or another archive, fails its tag.
        _aes.Encrypt(ArchiveLayout.Nonce(sequence), plain.Span, cipher, tag, leaf.AsSpan());
        _output.Write(cipher);
        _output.Write(tag);
    }

    public void Dispose() => _aes?.Dispose();
}

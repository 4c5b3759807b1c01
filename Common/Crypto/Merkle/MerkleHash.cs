using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ExchangeGateway.Common.Crypto.Merkle;

/// <summary>
/// A SHA-256 value in an RFC 6962 Merkle tree: a leaf hash, an interior node hash or a root.
/// A 32-byte value type, so proofs and tree levels are flat arrays with no per-hash allocation.
/// </summary>
/// <remarks>
/// Equality is fixed-time (<see cref="CryptographicOperations.FixedTimeEquals"/>) because roots and
/// proof results are compared against values an attacker may choose. The canonical text form is
/// lower-case hex.
/// </remarks>
public readonly struct MerkleHash : IEquatable<MerkleHash>
{
    /// <summary>The length of a hash in bytes (SHA-256).</summary>
    public const int SizeInBytes = 32;

    private readonly MerkleHashBuffer _bytes;

    /// <summary>Copies a hash from its 32 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public MerkleHash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != SizeInBytes)
        {
            throw new ArgumentException($"A Merkle hash is {SizeInBytes} bytes, not {bytes.Length}.", nameof(bytes));
        }

        bytes.CopyTo(_bytes);
    }

    internal MerkleHash(in MerkleHashBuffer bytes)
    {
        _bytes = bytes;
    }

    /// <summary>
    /// Copies a hash from untrusted bytes; false when they are not exactly 32 bytes, so that a decoder
    /// can report the input as malformed instead of throwing.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> bytes, out MerkleHash hash)
    {
        if (bytes.Length != SizeInBytes)
        {
            hash = default;
            return false;
        }

        hash = new MerkleHash(bytes);
        return true;
    }

    /// <summary>The 32 bytes of the hash, without copying.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>Writes the 32 bytes into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void CopyTo(Span<byte> destination) => AsSpan().CopyTo(destination);

    /// <summary>The 32 bytes as a new array.</summary>
    public byte[] ToArray() => AsSpan().ToArray();

    /// <summary>Fixed-time comparison of the 32 bytes.</summary>
    public bool Equals(MerkleHash other) => CryptographicOperations.FixedTimeEquals(AsSpan(), other.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MerkleHash other && Equals(other);

    /// <inheritdoc />
    // The bytes are a cryptographic hash, so any four of them are already uniformly distributed.
    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(AsSpan());

    /// <summary>The hash as 64 lower-case hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(AsSpan());

    /// <summary>Fixed-time equality.</summary>
    public static bool operator ==(MerkleHash left, MerkleHash right) => left.Equals(right);

    /// <summary>Fixed-time inequality.</summary>
    public static bool operator !=(MerkleHash left, MerkleHash right) => !left.Equals(right);
}

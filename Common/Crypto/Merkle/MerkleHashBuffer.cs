using System.Runtime.CompilerServices;

namespace ExchangeGateway.Common.Crypto.Merkle;

/// <summary>
/// Inline storage for one SHA-256 output, so that a <see cref="MerkleHash"/> is a plain 32-byte value
/// and arrays of them hold the bytes themselves rather than references to 32-byte heap arrays.
/// </summary>
[InlineArray(MerkleHash.SizeInBytes)]
internal struct MerkleHashBuffer
{
    private byte _element0;
}

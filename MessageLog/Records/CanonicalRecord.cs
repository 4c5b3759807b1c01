using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.MessageLog.Records;

/// <summary>
/// A record read back from its canonical bytes (<see cref="RecordEncoding"/>), as an exported log or an
/// evidence bundle carries it: the leaf data is the record, so an offline verifier decodes it instead of
/// trusting a second copy of the fields.
/// </summary>
/// <param name="Sequence">The sequence written into the bytes.</param>
/// <param name="Record">The fields; <see cref="MessageRecord.Body"/> is null (the body is not part of the leaf).</param>
public sealed record CanonicalRecord(long Sequence, MessageRecord Record)
{
    /// <summary>The error code of bytes that are not a canonical record.</summary>
    public const string MalformedCode = "messagelog.invalid_record";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes <paramref name="canonical"/> strictly: the label, every field in order, nothing after the last,
    /// every rule of <see cref="MessageRecord.Validate"/>, and the bytes must be exactly what
    /// <see cref="RecordEncoding.Canonical"/> writes for the decoded record.
    /// </summary>
    public static ParseResult<CanonicalRecord> Parse(ReadOnlySpan<byte> canonical)
    {
        var r = new Reader(canonical);
        if (!canonical.StartsWith(RecordEncoding.Label))
        {
            return Fail("the bytes do not start with the record label");
        }

        r.Skip(RecordEncoding.Label.Length);
        if (!r.Int64(out var sequence) || sequence < 1)
        {
            return Fail("the sequence is missing or not positive");
        }

        if (!r.Byte(out var side) || !r.Byte(out var kind))
        {
            return Fail("the side or kind is missing");
        }

        if (!r.Text(out var messageId) || !r.Guid(out var requestId) || !r.Text(out var clientId) || !r.Text(out var serviceId))
        {
            return Fail("an id field is truncated or not UTF-8");
        }

        if (!r.Int64(out var at))
        {
            return Fail("the time is missing");
        }

        if (!r.OptionalText(out var userId))
        {
            return Fail("the user id is malformed");
        }

        int? status = null;
        if (!r.Byte(out var hasStatus) || hasStatus > 1)
        {
            return Fail("the HTTP status marker is malformed");
        }

        if (hasStatus == 1)
        {
            if (!r.Int32(out var value))
            {
                return Fail("the HTTP status is truncated");
            }

            status = value;
        }

        if (!r.OptionalText(out var errorCode))
        {
            return Fail("the error code is malformed");
        }

        if (!r.Bytes(out var head) || !r.Bytes(out var signature) || !r.Bytes(out var ocsp))
        {
            return Fail("the head, signature or OCSP field is truncated");
        }

        if (!r.Fixed(SHA512.HashSizeInBytes, out var digest) || !r.Int64(out var bodyLength))
        {
            return Fail("the body digest or length is truncated");
        }

        if (r.Remaining != 0)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"{r.Remaining} bytes follow the last field"));
        }

        MessageRecord record;
        byte[] again;
        try
        {
            record = new MessageRecord
            {
                Side = (RecordSide)side,
                Kind = (RecordKind)kind,
                MessageId = messageId!,
                RequestId = requestId,
                ClientId = clientId!,
                ServiceId = serviceId!,
                At = LogTime.FromUnixMicroseconds(at),
                UserId = userId,
                HttpStatus = status,
                ErrorCode = errorCode,
                Head = head,
                Signature = signature,
                Ocsp = ocsp,
                BodyDigest = digest,
                BodyLength = bodyLength,
            };
            again = RecordEncoding.Canonical(sequence, record);
        }
        catch (ArgumentException ex)
        {
            // Also ArgumentOutOfRangeException: a time outside DateTimeOffset's range.
            return Fail(ex.Message);
        }

        // The layout leaves no freedom today; re-encoding keeps "one record, one encoding" true if a
        // field that the encoder normalises is ever added.
        return canonical.SequenceEqual(again)
            ? ParseResult<CanonicalRecord>.Ok(new CanonicalRecord(sequence, record))
            : Fail("the bytes are not the canonical encoding of the record they hold");
    }

    private static ParseResult<CanonicalRecord> Fail(string message) => ParseResult<CanonicalRecord>.Fail(MalformedCode, "record: " + message);

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly int Remaining => _data.Length - _position;

        public void Skip(int count) => _position += count;

        public bool Byte(out byte value)
        {
            value = 0;
            if (Remaining < 1)
            {
                return false;
            }

            value = _data[_position++];
            return true;
        }

        public bool Int32(out int value)
        {
            value = 0;
            if (Remaining < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt32BigEndian(_data[_position..]);
            _position += 4;
            return true;
        }

        public bool Int64(out long value)
        {
            value = 0;
            if (Remaining < 8)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt64BigEndian(_data[_position..]);
            _position += 8;
            return true;
        }

        public bool Guid(out Guid value)
        {
            value = default;
            if (Remaining < 16)
            {
                return false;
            }

            value = new Guid(_data.Slice(_position, 16), bigEndian: true);
            _position += 16;
            return true;
        }

        public bool Fixed(int length, out byte[] value)
        {
            value = [];
            if (Remaining < length)
            {
                return false;
            }

            value = _data.Slice(_position, length).ToArray();
            _position += length;
            return true;
        }

        public bool Bytes(out byte[] value)
        {
            value = [];
            if (Remaining < 4)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
            _position += 4;
            return length <= (uint)Remaining && Fixed((int)length, out value);
        }

        public bool Text(out string? value)
        {
            value = null;
            if (!Bytes(out var bytes))
            {
                return false;
            }

            try
            {
                value = Utf8.GetString(bytes);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        public bool OptionalText(out string? value)
        {
            value = null;
            if (!Byte(out var present) || present > 1)
            {
                return false;
            }

            return present == 0 || Text(out value);
        }
    }
}

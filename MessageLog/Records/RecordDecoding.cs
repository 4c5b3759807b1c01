using System.Buffers.Binary;
using System.Text;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.MessageLog.Records;

/// <summary>
/// Reads a record's canonical bytes (<see cref="RecordEncoding"/>) back into its sequence and fields, for
/// verifiers that hold only the leaf data (evidence bundles, exports). Strict: the bytes must be exactly
/// what <see cref="RecordEncoding.Canonical"/> writes for the decoded record, so one leaf has one reading.
/// The body is not part of the encoding; the decoded record has none.
/// </summary>
public static class RecordDecoding
{
    /// <summary>The error code of bytes that are not a canonical record.</summary>
    public const string MalformedCode = "messagelog.invalid_record";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="canonical"/>; a failure says where the bytes went wrong.</summary>
    public static ParseResult<(long Sequence, MessageRecord Record)> TryDecode(ReadOnlySpan<byte> canonical)
    {
        var r = new Reader(canonical);
        try
        {
            if (!r.Raw(RecordEncoding.Label.Length).SequenceEqual(RecordEncoding.Label))
            {
                return Fail("the bytes do not start with the label 'xgw-msg-log-record-v1:'");
            }

            var sequence = r.Int64();
            if (sequence < 1)
            {
                return Fail($"sequence {sequence} is not positive");
            }

            var side = (RecordSide)r.Byte();
            var kind = (RecordKind)r.Byte();
            var messageId = r.String();
            var requestId = new Guid(r.Raw(16), bigEndian: true);
            var clientId = r.String();
            var serviceId = r.String();
            var at = LogTime.FromUnixMicroseconds(r.Int64());
            var userId = r.Present() ? r.String() : null;
            int? status = r.Present() ? r.Int32() : null;
            var errorCode = r.Present() ? r.String() : null;
            var record = new MessageRecord
            {
                Side = side,
                Kind = kind,
                MessageId = messageId,
                RequestId = requestId,
                ClientId = clientId,
                ServiceId = serviceId,
                At = at,
                UserId = userId,
                HttpStatus = status,
                ErrorCode = errorCode,
                Head = r.Bytes(),
                Signature = r.Bytes(),
                Ocsp = r.Bytes(),
                BodyDigest = r.Raw(64).ToArray(),
                BodyLength = r.Int64(),
            };
            if (r.Remaining != 0)
            {
                return Fail($"{r.Remaining} bytes follow the body length");
            }

            // Re-encoding catches every value the writer would refuse or write differently (an unknown side or
            // kind, an empty id, an optional flag other than 0 or 1 read as present).
            if (!RecordEncoding.Canonical(sequence, record).AsSpan().SequenceEqual(canonical))
            {
                return Fail("the bytes are not the canonical encoding of the fields they hold");
            }

            return ParseResult<(long, MessageRecord)>.Ok((sequence, record));
        }
        catch (DecoderFallbackException)
        {
            return Fail("a text field is not UTF-8");
        }
        catch (ArgumentException ex)
        {
            return Fail(ex.Message);
        }
        catch (InvalidDataException ex)
        {
            return Fail(ex.Message);
        }
    }

    private static ParseResult<(long, MessageRecord)> Fail(string message) => ParseResult<(long, MessageRecord)>.Fail(MalformedCode, "record encoding: " + message);

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly int Remaining => _rest.Length;

        public ReadOnlySpan<byte> Raw(int length)
        {
            if (length < 0 || _rest.Length < length)
            {
                throw new InvalidDataException("the bytes end inside a field");
            }

            var value = _rest[..length];
            _rest = _rest[length..];
            return value;
        }

        public byte Byte() => Raw(1)[0];

        public bool Present() => Byte() switch
        {
            0 => false,
            1 => true,
            var other => throw new InvalidDataException($"an optional field's flag is {other}, not 0 or 1"),
        };

        public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Raw(4));

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Raw(8));

        public byte[] Bytes()
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(Raw(4));
            return length > int.MaxValue ? throw new InvalidDataException("a field is longer than the bytes") : Raw((int)length).ToArray();
        }

        public string String() => Utf8.GetString(Bytes());
    }
}

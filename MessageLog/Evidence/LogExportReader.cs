using System.Globalization;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Reads an export (<see cref="LogExportFormat"/>) line by line from a stream, strictly and in bounded
/// memory: no line may be longer than the limit, every line must end in LF, and each line must be exactly
/// one of the documented objects. A bad line is reported as a failed <see cref="ParseResult{T}"/> naming
/// its line number, and reading can go on with the next line, so a verifier can report the first bad item
/// and still check the rest. Not thread-safe.
/// </summary>
public sealed class LogExportReader : IDisposable
{
    private const int InitialBuffer = 64 * 1024;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxLineBytes;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _headerRead;
    private bool _endSeen;

    /// <summary>Reads from <paramref name="stream"/>.</summary>
    /// <param name="stream">The export.</param>
    /// <param name="maxLineBytes">The longest line accepted, LF excluded (<see cref="LogExportFormat.DefaultMaxLineBytes"/> by default).</param>
    /// <param name="leaveOpen">Leave the stream open on dispose.</param>
    public LogExportReader(Stream stream, int maxLineBytes = LogExportFormat.DefaultMaxLineBytes, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLineBytes, Array.MaxLength - 1);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The number of the last line read (the header is line 1).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads the header; must be called once, first.</summary>
    /// <exception cref="InvalidOperationException">The header was already read.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public ParseResult<LogExportHeader> ReadHeader()
    {
        if (_headerRead)
        {
            throw new InvalidOperationException("The header was already read.");
        }

        _headerRead = true;
        var line = NextLine();
        return line.Problem is { } problem
            ? ParseResult<LogExportHeader>.Fail(LogExportFormat.MalformedCode, problem)
            : line.EndOfFile
                ? ParseResult<LogExportHeader>.Fail(LogExportFormat.MalformedCode, "the export is empty: there is no header line")
                : LogExportJson.ParseHeader(line.Bytes);
    }

    /// <summary>
    /// Reads the next line after the header: a record, the end line, or the end of the stream. A failure
    /// names the line; the next call reads the line after it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The header has not been read.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public ParseResult<LogExportItem> ReadItem()
    {
        if (!_headerRead)
        {
            throw new InvalidOperationException("Read the header first.");
        }

        var line = NextLine();
        if (line.Problem is { } problem)
        {
            return ParseResult<LogExportItem>.Fail(LogExportFormat.MalformedCode, problem);
        }

        if (line.EndOfFile)
        {
            return ParseResult<LogExportItem>.Ok(new LogExportItem(LogExportItemKind.EndOfFile, LineNumber));
        }

        if (_endSeen)
        {
            return ParseResult<LogExportItem>.Fail(LogExportFormat.MalformedCode, Text($"line {LineNumber}: a line follows the end line"));
        }

        var item = LogExportJson.ParseItem(line.Bytes, LineNumber);
        _endSeen |= item.Success && item.Value.Kind == LogExportItemKind.End;
        return item;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private Line NextLine()
    {
        var scanned = 0;
        var skipping = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = scanned + newline;
                var bytes = _buffer.AsMemory(_start, length);
                _start += length + 1;
                LineNumber++;
                if (skipping || length > _maxLineBytes)
                {
                    return Line.Bad(Text($"line {LineNumber} is longer than {_maxLineBytes} bytes"));
                }

                return length == 0 ? Line.Bad(Text($"line {LineNumber} is empty")) : new Line(bytes, false, null);
            }

            scanned = _end - _start;
            if (scanned > _maxLineBytes)
            {
                // Too long: drop what was read and look for the end of this line, so that the following
                // lines can still be read in bounded memory.
                skipping = true;
                _start = _end;
                scanned = 0;
            }

            if (_eof)
            {
                if (_end == _start && !skipping)
                {
                    return new Line(default, true, null);
                }

                LineNumber++;
                _start = _end;
                return Line.Bad(skipping
                    ? Text($"line {LineNumber} is longer than {_maxLineBytes} bytes")
                    : Text($"line {LineNumber} does not end in LF: the export was cut short"));
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var size = (int)Math.Min((long)_buffer.Length * 2, (long)_maxLineBytes + 1 + InitialBuffer);
            Array.Resize(ref _buffer, size);
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Line(ReadOnlyMemory<byte> Bytes, bool EndOfFile, string? Problem)
    {
        public static Line Bad(string problem) => new(default, false, problem);
    }
}

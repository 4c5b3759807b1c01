using System.Globalization;
using System.Text;

namespace ExchangeGateway.Config.Serialization;

/// <summary>
/// Writes JSON in the canonical form of RFC 8785 (JCS) for the subset the configuration uses: objects
/// whose members are written in ascending ordinal order of their (ASCII) names, arrays, strings and
/// integers; no whitespace; strings escape only <c>"</c>, <c>\</c> and U+0000–U+001F (short forms
/// where JSON has them, else <c>\u00xx</c> in lowercase), everything else literal UTF-8. The order
/// of members is checked, so a coding mistake fails loudly instead of producing a second byte form.
/// </summary>
internal sealed class CanonicalJsonWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly StringBuilder _text = new();
    private readonly Stack<Frame> _frames = new();

    public void StartObject()
    {
        BeforeValue();
        _text.Append('{');
        _frames.Push(new Frame(IsArray: false));
    }

    public void EndObject()
    {
        var frame = _frames.Pop();
        if (frame.IsArray || frame.PendingName)
        {
            throw new InvalidOperationException("Unbalanced object.");
        }

        _text.Append('}');
    }

    public void StartArray()
    {
        BeforeValue();
        _text.Append('[');
        _frames.Push(new Frame(IsArray: true));
    }

    public void EndArray()
    {
        if (!_frames.Pop().IsArray)
        {
            throw new InvalidOperationException("Unbalanced array.");
        }

        _text.Append(']');
    }

    public void Name(string name)
    {
        var frame = _frames.Peek();
        if (frame.IsArray || frame.PendingName)
        {
            throw new InvalidOperationException("A member name is only valid inside an object, before its value.");
        }

        if (frame.LastName is not null && string.CompareOrdinal(frame.LastName, name) >= 0)
        {
            throw new InvalidOperationException($"Member '{name}' is out of canonical order after '{frame.LastName}'.");
        }

        if (frame.Count > 0)
        {
            _text.Append(',');
        }

        frame.Count++;
        frame.LastName = name;
        frame.PendingName = true;
        AppendString(name);
        _text.Append(':');
    }

    public void String(string value)
    {
        BeforeValue();
        AppendString(value);
    }

    public void Number(long value)
    {
        // RFC 8785 §3.2.2.3 formats numbers as ECMAScript does; integers within ±2^53 print plainly.
        if (Math.Abs(value) > (1L << 53) - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Integers must lie within ±(2^53−1) to be exact in every JSON reader.");
        }

        BeforeValue();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    public void String(string name, string value)
    {
        Name(name);
        String(value);
    }

    public void Number(string name, long value)
    {
        Name(name);
        Number(value);
    }

    public byte[] ToUtf8()
    {
        if (_frames.Count != 0)
        {
            throw new InvalidOperationException("The document is not complete.");
        }

        try
        {
            return StrictUtf8.GetBytes(_text.ToString());
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("A string contains an unpaired surrogate and has no UTF-8 form.", ex);
        }
    }

    private void BeforeValue()
    {
        if (_frames.Count == 0)
        {
            if (_text.Length != 0)
            {
                throw new InvalidOperationException("Only one top-level value.");
            }

            return;
        }

        var frame = _frames.Peek();
        if (frame.IsArray)
        {
            if (frame.Count > 0)
            {
                _text.Append(',');
            }

            frame.Count++;
        }
        else
        {
            if (!frame.PendingName)
            {
                throw new InvalidOperationException("A value inside an object needs a name first.");
            }

            frame.PendingName = false;
        }
    }

    private void AppendString(string value)
    {
        _text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        _text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _text.Append(c);
                    }

                    break;
            }
        }

        _text.Append('"');
    }

    private sealed class Frame(bool IsArray)
    {
        public bool IsArray { get; } = IsArray;

        public int Count { get; set; }

        public string? LastName { get; set; }

        public bool PendingName { get; set; }
    }
}

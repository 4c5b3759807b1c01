using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Config.Serialization;

/// <summary>
/// The strict reading rules shared by every document of this library: a size cap checked before
/// parsing, valid UTF-8 without a BOM, a depth cap, no comments or trailing commas, no duplicate or
/// unknown members, every required member present with the right type, and finally the input must
/// be byte-identical to the canonical form of what was read (so each document has one byte form).
/// </summary>
internal static class StrictJson
{
    /// <summary>Our documents nest at most six levels; anything deeper is hostile.</summary>
    public const int MaxDepth = 16;

    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public const string DateFormat = "yyyy-MM-dd";

    public static ParseResult<T> Read<T>(ReadOnlyMemory<byte> bytes, int maxBytes, string what, Func<StrictObject, T> read, Func<T, byte[]> write)
        where T : notnull
    {
        if (bytes.Length > maxBytes)
        {
            return ParseResult<T>.Fail(ConfigurationErrors.Malformed, $"the {what} is {bytes.Length} bytes, more than the limit of {maxBytes}");
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            return ParseResult<T>.Fail(ConfigurationErrors.Malformed, $"the {what} is not valid UTF-8");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions
            {
                MaxDepth = MaxDepth,
                AllowTrailingCommas = false,
                CommentHandling = JsonCommentHandling.Disallow,
            });
            var value = read(new StrictObject(document.RootElement, "$"));
            byte[] canonical;
            try
            {
                canonical = write(value);
            }
            catch (ArgumentException ex)
            {
                return ParseResult<T>.Fail(ConfigurationErrors.Malformed, $"the {what} is invalid: {ex.Message}");
            }

            return canonical.AsSpan().SequenceEqual(bytes.Span)
                ? ParseResult<T>.Ok(value)
                : ParseResult<T>.Fail(ConfigurationErrors.Malformed, $"the {what} is not in canonical form (member order, list order, whitespace, escapes or number format)");
        }
        catch (JsonException ex)
        {
            // The parser's message names a line and byte position, never the input's text.
            return ParseResult<T>.Fail(ConfigurationErrors.Malformed, $"the {what} is not valid JSON: {ex.Message}");
        }
        catch (ConfigurationFormatException ex)
        {
            return ParseResult<T>.Fail(ConfigurationErrors.Malformed, $"the {what} is invalid: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // E.g. an escaped unpaired surrogate, which has no string form.
            return ParseResult<T>.Fail(ConfigurationErrors.Malformed, $"the {what} is invalid: {ex.Message}");
        }
    }

    public static string String(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            throw new ConfigurationFormatException($"{path} must be a string");
        }

        return e.GetString()!;
    }

    public static long Integer(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var value))
        {
            throw new ConfigurationFormatException($"{path} must be an integer");
        }

        return value;
    }

    public static byte[] Base64(JsonElement e, string path)
    {
        var text = String(e, path);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new ConfigurationFormatException($"{path} must be base64");
        }
    }

    public static DateTimeOffset Time(JsonElement e, string path)
    {
        var text = String(e, path);
        return DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new ConfigurationFormatException($"{path} must be a UTC time like 2026-01-01T00:00:00Z");
    }

    public static DateOnly Date(JsonElement e, string path)
    {
        var text = String(e, path);
        return DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw new ConfigurationFormatException($"{path} must be a date like 2026-01-31");
    }

    public static T Identifier<T>(JsonElement e, string path, Func<string, ParseResult<T>> parse)
        where T : notnull
    {
        var result = parse(String(e, path));
        return result.Success ? result.Value : throw new ConfigurationFormatException($"{path}: {result.Message}");
    }

    public static List<T> Array<T>(JsonElement e, string path, Func<JsonElement, string, T> item)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new ConfigurationFormatException($"{path} must be an array");
        }

        var list = new List<T>(e.GetArrayLength());
        var i = 0;
        foreach (var element in e.EnumerateArray())
        {
            list.Add(item(element, $"{path}[{i}]"));
            i++;
        }

        return list;
    }

    public static string FormatTime(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);
}

using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ExchangeGateway.Common.Results;
using ExchangeGateway.SecurityServer.Registry;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>
/// Reads the parts of an OpenAPI 3.0 or 3.1 document (JSON or YAML) the gateway needs: the version, the
/// first server URL and every path × method as a <see cref="ServiceEndpoint"/>, with path templates
/// (<c>{petId}</c>) turned into <c>*</c>. Nothing referenced (<c>$ref</c> to other files) is fetched.
/// </summary>
/// <remarks>
/// YAML is read event by event under the same limits as JSON and refused when it uses aliases, so an
/// alias bomb never expands; every YAML scalar is taken as text. A document whose first non-blank
/// character is <c>{</c> is read as JSON.
/// </remarks>
public static class OpenApiReader
{
    /// <summary>The media type of a JSON document.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The media type of a YAML document.</summary>
    public const string YamlContentType = "text/yaml";

    /// <summary>The deepest nesting accepted.</summary>
    public const int MaxDepth = 128;

    /// <summary>The most YAML nodes accepted.</summary>
    public const int MaxYamlNodes = 1_000_000;

    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>Reads <paramref name="document"/>; failures carry <see cref="DescriptionErrors.InvalidDescription"/>.</summary>
    public static ParseResult<OpenApiDescription> Read(ReadOnlyMemory<byte> document)
    {
        var span = document.Span;
        if (span.StartsWith("\uFEFF"u8))
        {
            document = document[3..];
            span = document.Span;
        }

        if (!Utf8.IsValid(span))
        {
            return Fail("The OpenAPI document is not valid UTF-8.");
        }

        var first = span.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0)
        {
            return Fail("The OpenAPI document is empty.");
        }

        var isYaml = span[first] != (byte)'{';
        ReadOnlyMemory<byte> json = document;
        if (isYaml)
        {
            var converted = YamlToJson(Encoding.UTF8.GetString(span));
            if (!converted.Success)
            {
                return Fail(converted.Message);
            }

            json = converted.Value;
        }

        try
        {
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                MaxDepth = MaxDepth,
                AllowDuplicateProperties = false,
            });
            return Interpret(parsed.RootElement, isYaml);
        }
        catch (JsonException ex)
        {
            // The parser's message names a position, never the input's text.
            return Fail($"The OpenAPI document is not valid {(isYaml ? "YAML" : "JSON")}: {ex.Message}");
        }
    }

    /// <summary>
    /// Turns an OpenAPI path template into a path pattern: each <c>{name}</c> becomes <c>*</c> (one
    /// segment's worth of characters), e.g. <c>/pets/{petId}/photo.{ext}</c> → <c>/pets/*/photo.*</c>.
    /// </summary>
    public static ParseResult<PathGlob> TemplateToGlob(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var text = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{')
            {
                var close = template.IndexOf('}', i + 1);
                if (close < 0 || template.AsSpan(i + 1, close - i - 1).ContainsAny("{/"))
                {
                    return ParseResult<PathGlob>.Fail(DescriptionErrors.InvalidDescription, "a path template has an unclosed '{'");
                }

                // Two adjacent parameters are still one segment's worth; "**" would mean any segments.
                if (text.Length == 0 || text[^1] != '*')
                {
                    text.Append('*');
                }

                i = close;
            }
            else if (c == '}')
            {
                return ParseResult<PathGlob>.Fail(DescriptionErrors.InvalidDescription, "a path template has a '}' without '{'");
            }
            else
            {
                text.Append(c);
            }
        }

        var glob = PathGlob.TryParse(text.ToString());
        return glob.Success ? glob : ParseResult<PathGlob>.Fail(DescriptionErrors.InvalidDescription, glob.Message);
    }

    private static ParseResult<OpenApiDescription> Interpret(JsonElement root, bool isYaml)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail("The OpenAPI document must be an object.");
        }

        if (root.TryGetProperty("swagger", out _))
        {
            return Fail("The document is Swagger 2.0; only OpenAPI 3.0 and 3.1 are supported. Convert it to OpenAPI 3.");
        }

        if (!root.TryGetProperty("openapi", out var versionElement) || versionElement.ValueKind != JsonValueKind.String)
        {
            return Fail("The document has no 'openapi' version string; it is not an OpenAPI 3 document.");
        }

        var version = versionElement.GetString()!;
        if (!(version is "3.0" or "3.1" || version.StartsWith("3.0.", StringComparison.Ordinal) || version.StartsWith("3.1.", StringComparison.Ordinal)))
        {
            return Fail($"OpenAPI version {Shorten(version)} is not supported; use 3.0 or 3.1.");
        }

        string? serverUrl = null;
        if (root.TryGetProperty("servers", out var servers))
        {
            if (servers.ValueKind != JsonValueKind.Array)
            {
                return Fail("'servers' must be an array.");
            }

            if (servers.GetArrayLength() > 0)
            {
                var server = servers[0];
                if (server.ValueKind != JsonValueKind.Object || !server.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String)
                {
                    return Fail("servers[0] must be an object with a 'url' string.");
                }

                serverUrl = url.GetString();
            }
        }

        var endpoints = new List<ServiceEndpoint>();
        if (root.TryGetProperty("paths", out var paths))
        {
            if (paths.ValueKind != JsonValueKind.Object)
            {
                return Fail("'paths' must be an object.");
            }

            foreach (var path in paths.EnumerateObject())
            {
                if (path.Value.ValueKind != JsonValueKind.Object)
                {
                    return Fail($"paths['{Shorten(path.Name)}'] must be an object.");
                }

                var glob = TemplateToGlob(path.Name);
                if (!glob.Success)
                {
                    return Fail($"paths['{Shorten(path.Name)}']: {glob.Message}.");
                }

                foreach (var member in path.Value.EnumerateObject())
                {
                    if (Array.IndexOf(Methods, member.Name) >= 0)
                    {
                        var endpoint = new ServiceEndpoint(member.Name.ToUpperInvariant(), glob.Value);
                        if (!endpoints.Contains(endpoint))
                        {
                            endpoints.Add(endpoint);
                        }
                    }
                }
            }
        }

        return ParseResult<OpenApiDescription>.Ok(new OpenApiDescription(version, serverUrl, [.. endpoints], isYaml));
    }

    private static ParseResult<byte[]> YamlToJson(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false, MaxDepth = MaxDepth + 1 }))
            {
                var parser = new Parser(new StringReader(text));
                parser.Consume<StreamStart>();
                if (parser.Accept<StreamEnd>(out _))
                {
                    return ParseResult<byte[]>.Fail(DescriptionErrors.InvalidDescription, "The OpenAPI document is empty.");
                }

                parser.Consume<DocumentStart>();
                var nodes = 0;
                var problem = WriteNode(parser, writer, 0, ref nodes);
                if (problem is not null)
                {
                    return ParseResult<byte[]>.Fail(DescriptionErrors.InvalidDescription, problem);
                }

                parser.Consume<DocumentEnd>();
                if (!parser.Accept<StreamEnd>(out _))
                {
                    return ParseResult<byte[]>.Fail(DescriptionErrors.InvalidDescription, "The YAML holds more than one document; an OpenAPI description is one.");
                }
            }

            return ParseResult<byte[]>.Ok(buffer.WrittenSpan.ToArray());
        }
        catch (YamlException ex)
        {
            return ParseResult<byte[]>.Fail(DescriptionErrors.InvalidDescription, $"The OpenAPI document is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}).");
        }
    }

    private static string? WriteNode(IParser parser, Utf8JsonWriter writer, int depth, ref int nodes)
    {
        if (++nodes > MaxYamlNodes)
        {
            return $"The YAML has more than {MaxYamlNodes} nodes.";
        }

        if (depth > MaxDepth)
        {
            return $"The YAML nests deeper than {MaxDepth} levels.";
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            writer.WriteStringValue(scalar.Value);
            return null;
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            writer.WriteStartArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                var problem = WriteNode(parser, writer, depth + 1, ref nodes);
                if (problem is not null)
                {
                    return problem;
                }
            }

            writer.WriteEndArray();
            return null;
        }

        if (parser.TryConsume<MappingStart>(out _))
        {
            writer.WriteStartObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (!parser.TryConsume<Scalar>(out var key))
                {
                    return parser.Current is AnchorAlias
                        ? "The YAML uses an alias (*name); aliases are not supported. Write the value out, or convert the document to JSON."
                        : "The YAML has a mapping key that is not plain text.";
                }

                writer.WritePropertyName(key.Value);
                var problem = WriteNode(parser, writer, depth + 1, ref nodes);
                if (problem is not null)
                {
                    return problem;
                }
            }

            writer.WriteEndObject();
            return null;
        }

        return parser.Current is AnchorAlias
            ? "The YAML uses an alias (*name); aliases are not supported. Write the value out, or convert the document to JSON."
            : "The YAML has an unexpected structure.";
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");

    private static ParseResult<OpenApiDescription> Fail(string message) => ParseResult<OpenApiDescription>.Fail(DescriptionErrors.InvalidDescription, message);
}

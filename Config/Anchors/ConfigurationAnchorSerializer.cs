using System.Security.Cryptography;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Serialization;

namespace ExchangeGateway.Config.Anchors;

/// <summary>
/// The one writer and reader of the anchor file: canonical UTF-8 JSON (RFC 8785 form)
/// <c>{"certificates":[base64 DER...],"downloadUrls":[url...],"formatVersion":1,"instanceId":"EE"}</c>,
/// certificates sorted by their base64 text, URLs in preference order. The reader accepts only those
/// exact bytes, so the SHA-256 of a file that reads is the SHA-256 of its anchor.
/// </summary>
public static class ConfigurationAnchorSerializer
{
    /// <summary>The largest anchor file <see cref="Read"/> accepts: 1 MiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The format version written to, and required in, every anchor.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes the canonical anchor file. Throws <see cref="ArgumentException"/> for an invalid anchor.</summary>
    public static byte[] Write(ConfigurationAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var w = new CanonicalJsonWriter();
        WriteObject(w, anchor);
        return w.ToUtf8();
    }

    /// <summary>Reads an anchor file strictly (see <see cref="GlobalConfigurationSerializer.Read"/> for the rules).</summary>
    public static ParseResult<ConfigurationAnchor> Read(ReadOnlyMemory<byte> bytes) =>
        StrictJson.Read(bytes, MaxBytes, "configuration anchor", o => ReadObject(o), Write);

    /// <summary>SHA-256 of file bytes as 64 uppercase hex digits (what <c>sha256sum</c> prints, in upper case).</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> fileBytes) => Convert.ToHexStringLower(SHA256.HashData(fileBytes));

    internal static void WriteObject(CanonicalJsonWriter w, ConfigurationAnchor anchor)
    {
        ConfigurationRules.Validate(anchor);
        w.StartObject();
        w.Name("certificates");
        w.StartArray();
        foreach (var c in anchor.Certificates.Select(x => Convert.ToBase64String(x.Span)).Order(StringComparer.Ordinal))
        {
            w.String(c);
        }

        w.EndArray();
        w.Name("downloadUrls");
        w.StartArray();
        foreach (var url in anchor.DownloadUrls)
        {
            w.String(url);
        }

        w.EndArray();
        w.Number("formatVersion", FormatVersion);
        w.String("instanceId", anchor.InstanceId);
        w.EndObject();
    }

    internal static ConfigurationAnchor ReadObject(StrictObject o)
    {
        var version = StrictJson.Integer(o.Required("formatVersion"), o.At("formatVersion"));
        if (version != FormatVersion)
        {
            throw new ConfigurationFormatException($"{o.At("formatVersion")} {version} is not supported (expected {FormatVersion})");
        }

        var anchor = new ConfigurationAnchor(
            StrictJson.String(o.Required("instanceId"), o.At("instanceId")),
            StrictJson.Array(o.Required("downloadUrls"), o.At("downloadUrls"), StrictJson.String),
            StrictJson.Array(o.Required("certificates"), o.At("certificates"), (e, p) => (ReadOnlyMemory<byte>)StrictJson.Base64(e, p)));
        o.End();
        return anchor;
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExchangeGateway.SecurityServer.Tests.Operations;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, written from the format's description
/// and independent of the exporter: it checks every line and returns the samples. Any deviation throws.
/// </summary>
internal static partial class PrometheusText
{
    public static (Dictionary<string, string> Types, List<Sample> Samples) Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The text must end with a line feed.");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var seenFamilies = new HashSet<string>(StringComparer.Ordinal);
        string? currentFamily = null;
        var lineNumber = 0;
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var help = HelpLine().Match(line);
                var type = TypeLine().Match(line);
                if (help.Success)
                {
                    Require(helps.Add(help.Groups[1].Value), lineNumber, "second HELP for " + help.Groups[1].Value);
                    Require(ValidHelp(help.Groups[2].Value), lineNumber, "bad escape in HELP");
                }
                else if (type.Success)
                {
                    var family = type.Groups[1].Value;
                    Require(types.TryAdd(family, type.Groups[2].Value), lineNumber, "second TYPE for " + family);
                    Require(!samples.Any(s => FamilyOf(s.Name, types) == family), lineNumber, "TYPE after samples of " + family);
                }

                continue;
            }

            var match = SampleLine().Match(line);
            Require(match.Success, lineNumber, "not a sample line: " + line);
            var name = match.Groups[1].Value;
            var labels = ParseLabels(match.Groups[2].Value, lineNumber);
            var value = ParseValue(match.Groups[3].Value, lineNumber);
            var owner = FamilyOf(name, types);
            if (owner != currentFamily)
            {
                // All lines of one family are consecutive.
                Require(seenFamilies.Add(owner), lineNumber, "family " + owner + " is split");
                currentFamily = owner;
            }

            samples.Add(new Sample(name, labels, value));
        }

        CheckHistograms(types, samples);
        return (types, samples);
    }

    private static void CheckHistograms(Dictionary<string, string> types, List<Sample> samples)
    {
        foreach (var family in types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var buckets = samples.Where(s => s.Name == family + "_bucket").ToList();
            foreach (var series in buckets.GroupBy(b => Key(b.Labels, without: "le")))
            {
                var ordered = series.ToList();
                Require(ordered.All(b => b.Labels.ContainsKey("le")), 0, "bucket without le");
                Require(ordered[^1].Labels["le"] == "+Inf", 0, "last bucket is not +Inf");
                for (var i = 1; i < ordered.Count; i++)
                {
                    Require(ordered[i].Value >= ordered[i - 1].Value, 0, "buckets not cumulative");
                    Require(ParseValue(ordered[i].Labels["le"], 0) > ParseValue(ordered[i - 1].Labels["le"], 0), 0, "le not increasing");
                }

                var count = samples.Single(s => s.Name == family + "_count" && Key(s.Labels, null) == series.Key);
                Require(samples.Any(s => s.Name == family + "_sum" && Key(s.Labels, null) == series.Key), 0, "no _sum");
                Require(count.Value == ordered[^1].Value, 0, "_count differs from the +Inf bucket");
            }
        }
    }

    private static string FamilyOf(string name, Dictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var t) && t is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static Dictionary<string, string> ParseLabels(string text, int line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.Length == 0)
        {
            return labels;
        }

        var i = 1;
        while (i < text.Length - 1)
        {
            var eq = text.IndexOf('=', i);
            var name = text[i..eq];
            Require(LabelName().IsMatch(name), line, "bad label name " + name);
            Require(text[eq + 1] == '"', line, "label value not quoted");
            var value = new StringBuilder();
            var j = eq + 2;
            for (; text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    value.Append(text[j] switch
                    {
                        '\\' => '\\',
                        '"' => '"',
                        'n' => '\n',
                        _ => throw new FormatException($"line {line}: bad escape in label value"),
                    });
                }
                else
                {
                    Require(text[j] != '\n', line, "raw line feed in label value");
                    value.Append(text[j]);
                }
            }

            Require(labels.TryAdd(name, value.ToString()), line, "label twice: " + name);
            i = j + 1;
            if (text[i] == ',')
            {
                i++;
            }
        }

        return labels;
    }

    private static double ParseValue(string text, int line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"line {line}: bad value {text}"),
    };

    private static bool ValidHelp(string help)
    {
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] == '\\')
            {
                if (i + 1 >= help.Length || help[i + 1] is not ('\\' or 'n'))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    private static string Key(Dictionary<string, string> labels, string? without) =>
        string.Join(",", labels.Where(l => l.Key != without).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));

    private static void Require(bool condition, int line, string what)
    {
        if (!condition)
        {
            throw new FormatException($"line {line}: {what}");
        }
    }

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\")*)?\\})? (\\S+)( -?[0-9]+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    internal sealed record Sample(string Name, Dictionary<string, string> Labels, double Value)
    {
        public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : string.Empty;
    }
}

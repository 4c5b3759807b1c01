using System.Text;
using ExchangeGateway.MessageLog.Archiving;

namespace ExchangeGateway.MessageLog.Tests.Archiving;

public sealed class ArchiveManifestTests
{
    private static readonly byte[] Hash1 = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] Hash2 = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];

    private static readonly ArchiveManifest Sample = new(
        "DEV/GOV/70000001/ss1", 2, 11, 20, new DateTimeOffset(2026, 3, 3, 12, 0, 1, TimeSpan.Zero).AddTicks(1234560), Hash1, Hash2, null);

    [Fact]
    public void Encode_Sample_TheDocumentedTenLines()
    {
        var text = Encoding.UTF8.GetString(Sample.Encode());

        Assert.Equal(
            "xgw-message-log-archive/v1\nserver DEV/GOV/70000001/ss1\narchive 2\nfirst 11\nlast 20\ncreated 2026-03-03T12:00:01.123456Z\n"
            + $"records-sha256 {Convert.ToHexStringLower(Hash1)}\nprevious-sha256 {Convert.ToHexStringLower(Hash2)}\nencryption none\nkey-sha256 none\n",
            text);
    }

    [Fact]
    public void Parse_EncodedManifests_RoundTrip()
    {
        foreach (var manifest in new[] { Sample, Sample with { Id = 1, FirstSequence = 1, PreviousSha256 = null }, Sample with { KeySha256 = Hash2 } })
        {
            var parsed = ArchiveManifest.Parse(manifest.Encode());

            Assert.True(parsed.Success, parsed.Message);
            Assert.Equal(manifest.Encode(), parsed.Value.Encode());
            Assert.Equal(manifest.PreviousSha256 is null, parsed.Value.PreviousSha256 is null);
            Assert.Equal(manifest.Encrypted, parsed.Value.Encrypted);
        }
    }

    [Theory]
    [InlineData("archive 2\n", "archive 02\n")]
    [InlineData("first 11\n", "first 21\n")]
    [InlineData("last 20\n", "last 20 \n")]
    [InlineData("created 2026-03-03T12:00:01.123456Z", "created 2026-03-03T12:00:01Z")]
    [InlineData("encryption none\nkey-sha256 none\n", "encryption aes-256-gcm\nkey-sha256 none\n")]
    [InlineData("encryption none", "encryption aes-128-gcm")]
    [InlineData("key-sha256 none\n", "key-sha256 none\nextra\n")]
    [InlineData("server DEV", "server  DEV")]
    [InlineData("xgw-message-log-archive/v1", "xgw-message-log-archive/v2")]
    [InlineData("\nrecords-sha256 01", "\nrecords-sha256 0A")]
    public void Parse_AnythingEncodeWouldNotWrite_Refused(string from, string to)
    {
        var text = Encoding.UTF8.GetString(Sample.Encode());
        Assert.Contains(from, text, StringComparison.Ordinal);

        var parsed = ArchiveManifest.Parse(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)));

        Assert.False(parsed.Success);
        Assert.Equal("messagelog.invalid_archive_manifest", parsed.ErrorCode);
    }
}

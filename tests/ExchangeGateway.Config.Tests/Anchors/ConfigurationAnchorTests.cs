using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Tests.Support;

namespace ExchangeGateway.Config.Tests.Anchors;

public sealed class ConfigurationAnchorTests
{
    [Fact]
    public void WriteRead_Anchor_RoundTripsAndHashIsOfTheFileBytes()
    {
        using var oldKey = Samples.CreateSigningCertificate("old", Samples.Start);
        using var newKey = Samples.CreateSigningCertificate("new", Samples.Start);
        var anchor = Samples.Anchor("EE", ["https://cs2.example.org/globalconf", "https://cs1.example.org/globalconf"], oldKey, newKey);

        var file = ConfigurationAnchorSerializer.Write(anchor);
        var read = ConfigurationAnchorSerializer.Read(file);

        Assert.True(read.Success, read.Message);
        Assert.Equal(file, ConfigurationAnchorSerializer.Write(read.Value));
        Assert.Equal(["https://cs2.example.org/globalconf", "https://cs1.example.org/globalconf"], read.Value.DownloadUrls);
        Assert.Equal(2, read.Value.Certificates.Count);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), anchor.Sha256Hex());
        Assert.Equal(anchor.Sha256Hex(), read.Value.Sha256Hex());
        Assert.Equal(64, anchor.Sha256Hex().Length);
    }

    [Fact]
    public void Write_CertificateOrder_DoesNotChangeTheFile()
    {
        using var a = Samples.CreateSigningCertificate("a", Samples.Start);
        using var b = Samples.CreateSigningCertificate("b", Samples.Start);

        Assert.Equal(
            ConfigurationAnchorSerializer.Write(Samples.Anchor("EE", ["https://cs/"], a, b)),
            ConfigurationAnchorSerializer.Write(Samples.Anchor("EE", ["https://cs/"], b, a)));
    }

    [Fact]
    public void Read_PrettyPrinted_RejectedAsNonCanonical()
    {
        using var key = Samples.CreateSigningCertificate("k", Samples.Start);
        var text = Encoding.UTF8.GetString(ConfigurationAnchorSerializer.Write(Samples.Anchor("EE", ["https://cs/"], key)));

        var read = ConfigurationAnchorSerializer.Read(Encoding.UTF8.GetBytes(text.Replace(",", ",\n", StringComparison.Ordinal) + "\n"));

        Assert.False(read.Success);
        Assert.Contains("canonical", read.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"certificates\":[],\"downloadUrls\":[\"https://cs/\"],\"formatVersion\":1,\"instanceId\":\"EE\"}", "no verification certificate")]
    [InlineData("{\"certificates\":[\"AAAA\"],\"downloadUrls\":[\"https://cs/\"],\"formatVersion\":1,\"instanceId\":\"EE\"}", "certificate")]
    [InlineData("{\"certificates\":[],\"downloadUrls\":[\"ftp://cs/\"],\"formatVersion\":1,\"instanceId\":\"EE\"}", "download URL")]
    [InlineData("{\"certificates\":[],\"downloadUrls\":[],\"formatVersion\":2,\"instanceId\":\"EE\"}", "formatVersion")]
    [InlineData("{\"certificates\":[],\"downloadUrls\":[],\"formatVersion\":1,\"instanceId\":\"E/E\"}", "instance")]
    public void Read_InvalidAnchor_Rejected(string json, string reason)
    {
        var read = ConfigurationAnchorSerializer.Read(Encoding.UTF8.GetBytes(json));

        Assert.False(read.Success);
        Assert.Contains(reason, read.Message, StringComparison.OrdinalIgnoreCase);
    }
}

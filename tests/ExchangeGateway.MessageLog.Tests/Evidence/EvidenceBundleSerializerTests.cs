using System.Text;
using System.Text.Json.Nodes;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

public sealed class EvidenceBundleSerializerTests : IAsyncLifetime
{
    private EvidenceWorld _world = null!;
    private byte[] _file = [];

    public async Task InitializeAsync()
    {
        _world = await EvidenceWorld.CreateAsync();
        var (request, response) = await _world.LogExchangeAsync();
        await _world.CheckpointAsync();
        _file = EvidenceBundleSerializer.Write(_world.Bundle(request, response));
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public void Read_WrittenBundle_WritesBackTheSameBytes()
    {
        var read = EvidenceBundleSerializer.Read(_file);

        Assert.True(read.Success, read.Message);
        Assert.Equal(_file, EvidenceBundleSerializer.Write(read.Value!));
        Assert.Equal(2, read.Value!.Records.Count);
        Assert.Equal(EvidenceWorld.ServerId, read.Value.Server);
    }

    [Fact]
    public void Write_Layout_IsTheDocumentedOne()
    {
        var root = JsonNode.Parse(_file)!.AsObject();

        Assert.Equal(["format", "createdAt", "server", "records", "checkpoint", "trust"], root.Select(p => p.Key));
        Assert.Equal("xgw-evidence-bundle/v1", (string?)root["format"]);
        var record = root["records"]![0]!.AsObject();
        Assert.Equal(["sequence", "canonical", "body", "bodyState", "signedContent", "inclusion", "fields"], record.Select(p => p.Key));
        Assert.Equal(["treeSize", "leafIndex", "path"], record["inclusion"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["content", "signature", "timeStampToken", "tsaUrl"], root["checkpoint"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["configuration", "configurationSignature", "anchor", "caCertificates", "tsaCertificates"], root["trust"]!.AsObject().Select(p => p.Key));
        Assert.Equal("present", (string?)record["bodyState"]);
        Assert.Equal("msg-1", (string?)record["fields"]!["messageId"]);
    }

    [Theory]
    [InlineData("unknown", "evidence bundle: $.extra is not a known property")]
    [InlineData("duplicate", "evidence bundle: $.server appears twice")]
    [InlineData("missing", "evidence bundle: $.checkpoint is missing")]
    [InlineData("format", "evidence bundle: $.format is 'xgw-evidence-bundle/v2', not 'xgw-evidence-bundle/v1'")]
    [InlineData("base64", "evidence bundle: $.records[0].canonical is not canonical base64")]
    [InlineData("hex", "evidence bundle: $.records[1].inclusion.path[0] is not 64 lower-case hex digits")]
    [InlineData("state", "evidence bundle: $.records[0].bodyState is 'gone', not one of present, not-logged, erased")]
    [InlineData("integer", "evidence bundle: $.records[0].sequence is not an integer")]
    [InlineData("time", "evidence bundle: $.createdAt is not a time yyyy-MM-ddTHH:mm:ss.ffffffZ")]
    [InlineData("records", "evidence bundle: $.records holds 3 records; a bundle holds one or two")]
    [InlineData("nested", "evidence bundle: $.records[0].inclusion.proof is not a known property")]
    public void Read_BrokenFile_RefusedWithThePath(string fault, string expected)
    {
        var text = Encoding.UTF8.GetString(_file);
        var root = JsonNode.Parse(text)!.AsObject();
        var record = root["records"]![0]!.AsObject();
        switch (fault)
        {
            case "unknown":
                root["extra"] = 1;
                break;
            case "duplicate":
                text = text.Replace("\"server\":", "\"server\": \"x\", \"server\":", StringComparison.Ordinal);
                root = null!;
                break;
            case "missing":
                root.Remove("checkpoint");
                break;
            case "format":
                root["format"] = "xgw-evidence-bundle/v2";
                break;
            case "base64":
                record["canonical"] = " " + (string?)record["canonical"];
                break;
            case "hex":
                root["records"]![1]!["inclusion"]!["path"]![0] = new string('A', 64);
                break;
            case "state":
                record["bodyState"] = "gone";
                break;
            case "integer":
                record["sequence"] = 1.5;
                break;
            case "time":
                root["createdAt"] = "2026-03-01T12:00:00Z";
                break;
            case "records":
                root["records"]!.AsArray().Add(record.DeepClone());
                break;
            case "nested":
                record["inclusion"]!["proof"] = new JsonArray();
                break;
        }

        var bytes = root is null ? Encoding.UTF8.GetBytes(text) : Encoding.UTF8.GetBytes(root.ToJsonString());
        var read = EvidenceBundleSerializer.Read(bytes);

        Assert.False(read.Success);
        Assert.Equal("evidence.invalid_bundle", read.ErrorCode);
        Assert.Equal(expected, read.Message);
    }

    [Fact]
    public void Read_NotJson_Refused()
    {
        var read = EvidenceBundleSerializer.Read("{\"format\":"u8.ToArray());

        Assert.False(read.Success);
        Assert.StartsWith("evidence bundle: not JSON: ", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OverTheCap_RefusedWithoutParsing()
    {
        var read = EvidenceBundleSerializer.Read(new byte[EvidenceBundleSerializer.MaxBytes + 1]);

        Assert.False(read.Success);
        Assert.Equal($"evidence bundle: the file is {EvidenceBundleSerializer.MaxBytes + 1} bytes, more than the limit of {EvidenceBundleSerializer.MaxBytes}", read.Message);
    }
}

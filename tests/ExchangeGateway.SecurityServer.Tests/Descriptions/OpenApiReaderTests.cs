using System.Text;
using ExchangeGateway.SecurityServer.Descriptions;

namespace ExchangeGateway.SecurityServer.Tests.Descriptions;

public sealed class OpenApiReaderTests
{
    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Read_Json30_TakesTheFirstServerAndEveryPathTimesMethod()
    {
        var result = OpenApiReader.Read(Utf8(DescriptionSamples.OpenApiJson));

        Assert.True(result.Success, result.Message);
        Assert.Equal("3.0.3", result.Value.OpenApiVersion);
        Assert.Equal("http://127.0.0.1:9000/api", result.Value.ServerUrl);
        Assert.False(result.Value.IsYaml);
        Assert.Equal("application/json", result.Value.ContentType);
        Assert.Equal(
            ["GET /pets", "POST /pets", "GET /pets/*", "DELETE /pets/*", "PUT /pets/*/photo.*"],
            result.Value.Endpoints.Select(e => $"{e.Method} {e.Path.Text}"));
    }

    [Fact]
    public void Read_Yaml31_IsReadLikeJson()
    {
        var result = OpenApiReader.Read(Utf8(DescriptionSamples.OpenApiYaml));

        Assert.True(result.Success, result.Message);
        Assert.Equal(("3.1.0", true, "text/yaml"), (result.Value.OpenApiVersion, result.Value.IsYaml, result.Value.ContentType));
        Assert.Equal(["GET /pets", "PATCH /pets/*"], result.Value.Endpoints.Select(e => $"{e.Method} {e.Path.Text}"));
    }

    [Theory]
    [InlineData("{\"swagger\":\"2.0\",\"paths\":{}}", "Swagger 2.0")]
    [InlineData("{\"openapi\":\"2.9\"}", "OpenAPI version 2.9 is not supported")]
    [InlineData("{\"openapi\":3.0}", "no 'openapi' version string")]
    [InlineData("[1]", "must be an object")]
    [InlineData("{\"openapi\":\"3.0.0\",\"paths\":{\"/a\":{},\"/a\":{}}}", "not valid JSON")]
    [InlineData("{\"openapi\":\"3.0.0\",\"paths\":{\"/a/{x\":{\"get\":{}}}}", "unclosed '{'")]
    [InlineData("{\"openapi\":\"3.0.0\",\"paths\":{\"/a/../b\":{\"get\":{}}}}", "dot segment")]
    [InlineData("{\"openapi\":\"3.0.0\",\"servers\":[\"http://x\"]}", "servers[0] must be an object")]
    [InlineData("   ", "is empty")]
    [InlineData("openapi: 3.0.0\nx: &a [1]\ny: *a\n", "aliases are not supported")]
    [InlineData("openapi: 3.0.0\n---\nopenapi: 3.0.0\n", "more than one document")]
    [InlineData("openapi: [\n", "not valid YAML")]
    [InlineData("openapi: 3.0.0\nopenapi: 3.1.0\n", "not valid YAML")]
    public void Read_Unusable_IsRefusedWithAClearMessage(string document, string expected)
    {
        var result = OpenApiReader.Read(Utf8(document));

        Assert.False(result.Success);
        Assert.Equal(DescriptionErrors.InvalidDescription, result.ErrorCode);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_YamlAliasBomb_IsRefusedWithoutExpanding()
    {
        var bomb = new StringBuilder("openapi: 3.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 30; i++)
        {
            bomb.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var result = OpenApiReader.Read(Utf8(bomb.ToString()));

        Assert.False(result.Success);
        Assert.Contains("aliases are not supported", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/pets/{id}", "/pets/*")]
    [InlineData("/pets/{a}{b}", "/pets/*")]
    [InlineData("/files/{name}.json", "/files/*.json")]
    [InlineData("/", "/")]
    public void TemplateToGlob_Parameters_BecomeOneSegmentWildcards(string template, string glob)
    {
        Assert.Equal(glob, OpenApiReader.TemplateToGlob(template).GetValueOrThrow().Text);
    }
}

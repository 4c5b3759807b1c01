using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

public sealed class PathGlobTests
{
    [Theory]
    [InlineData("/**", "", true)]
    [InlineData("/**", "/", true)]
    [InlineData("/**", "/a/b/c", true)]
    [InlineData("/", "/", true)]
    [InlineData("/", "", true)]
    [InlineData("/", "/a", false)]
    [InlineData("/pets", "/pets", true)]
    [InlineData("/pets", "/pets/", false)]
    [InlineData("/pets/", "/pets/", true)]
    [InlineData("/pets/", "/pets", false)]
    [InlineData("/pets/*", "/pets/1", true)]
    [InlineData("/pets/*", "/pets/", false)]
    [InlineData("/pets/*", "/pets", false)]
    [InlineData("/pets/*", "/pets/1/2", false)]
    [InlineData("/pets/*/toys", "/pets/1/toys", true)]
    [InlineData("/pets/*/toys", "/pets/1/2/toys", false)]
    [InlineData("/pets/**/toys", "/pets/toys", true)]
    [InlineData("/pets/**/toys", "/pets/1/2/3/toys", true)]
    [InlineData("/pets/**/toys", "/pets/1/2/3/toys/x", false)]
    [InlineData("/pets/**", "/pets", true)]
    [InlineData("/pets/**", "/petsx", false)]
    [InlineData("/files/*.json", "/files/a.json", true)]
    [InlineData("/files/*.json", "/files/.json", true)]
    [InlineData("/files/*.json", "/files/a.json.txt", false)]
    [InlineData("/v1*", "/v1", true)]
    [InlineData("/v1*", "/v1beta", true)]
    [InlineData("/v1*", "/v2", false)]
    [InlineData("/a*b*c", "/abc", true)]
    [InlineData("/a*b*c", "/axxbyyc", true)]
    [InlineData("/a*b*c", "/axxbyy", false)]
    [InlineData("/**/**/x", "/x", true)]
    [InlineData("/**/**/x", "/a/b/x", true)]
    [InlineData("/Pets", "/pets", false)]
    [InlineData("/pets", "/%70ets", false)]
    [InlineData("/a%20b", "/a%20b", true)]
    [InlineData("/a%20b", "/a b", false)]
    public void IsMatch_Cases(string glob, string path, bool expected)
    {
        Assert.Equal(expected, PathGlob.Parse(glob).IsMatch(path));
    }

    [Fact]
    public void IsMatch_ManyDoubleStars_StaysFast()
    {
        // Exponential backtracking would not finish; the greedy algorithm is linear-ish.
        var glob = PathGlob.Parse("/" + string.Join('/', Enumerable.Repeat("**", 30)) + "/z");
        var path = "/" + string.Join('/', Enumerable.Repeat("a", 2000));

        Assert.False(glob.IsMatch(path));
    }

    [Fact]
    public void IsMatch_ManyStarsInASegment_StaysFast()
    {
        var glob = PathGlob.Parse("/" + string.Concat(Enumerable.Repeat("a*", 100)) + "b");
        var path = "/" + new string('a', 5000);

        Assert.False(glob.IsMatch(path));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("pets", "must start with '/'")]
    [InlineData("/a//b", "segment 2 of the path pattern is empty")]
    [InlineData("/a/../b", "segment 2 of the path pattern is a dot segment")]
    [InlineData("/./b", "segment 1 of the path pattern is a dot segment")]
    [InlineData("/a**", "'**' must be a whole segment")]
    [InlineData("/***", "'**' must be a whole segment")]
    [InlineData("/a?b", "U+003F")]
    [InlineData("/a\\b", "U+005C")]
    [InlineData("/\u00e4", "U+00E4")]
    [InlineData("/a%2Fb", "could never match")]
    [InlineData("/a%", "could never match")]
    public void TryParse_Invalid_SaysWhy(string glob, string expected)
    {
        var result = PathGlob.TryParse(glob);

        Assert.False(result.Success);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_IsByText()
    {
        Assert.Equal(PathGlob.Parse("/a/*"), PathGlob.Parse("/a/*"));
        Assert.NotEqual(PathGlob.Parse("/a/*"), PathGlob.Parse("/A/*"));
        Assert.Equal("/a/*", PathGlob.Parse("/a/*").ToString());
    }
}

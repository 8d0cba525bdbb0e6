using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.Verification.Smoke;

namespace Skillancer.Deploy.Engine.Tests.Verification;

public class JsonPathTests
{
    private static readonly JsonNode? Document = JsonNode.Parse("""{"user":{"email":"a@b.c","admin":false},"jobs":[{"id":101,"tags":["x","y"]}],"total":3,"none":null}""");

    [Theory]
    [InlineData("user.email", "a@b.c")]
    [InlineData("$.user.email", "a@b.c")]
    [InlineData("user.admin", "false")]
    [InlineData("jobs[0].id", "101")]
    [InlineData("jobs[0].tags[1]", "y")]
    [InlineData("total", "3")]
    [InlineData("none", "null")]
    public void A_path_reads_the_value_as_text(string path, string expected)
    {
        Assert.True(JsonPath.TryRead(Document, path, out var text));
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("user.name")]
    [InlineData("jobs[1].id")]
    [InlineData("jobs[x]")]
    [InlineData("total.more")]
    public void A_path_that_leads_nowhere_is_not_found(string path) => Assert.False(JsonPath.TryRead(Document, path, out _));
}

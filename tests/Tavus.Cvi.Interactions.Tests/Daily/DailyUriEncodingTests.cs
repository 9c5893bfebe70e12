using CsCheck;
using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class DailyUriEncodingTests
{
    // Expected values from JavaScript's encodeURI.
    [Theory]
    [InlineData("Guest", "Guest")]
    [InlineData("Anna Müller", "Anna%20M%C3%BCller")]
    [InlineData("a/b?c=d&e#f", "a/b?c=d&e#f")]
    [InlineData("100%", "100%25")]
    [InlineData("日本", "%E6%97%A5%E6%9C%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("-_.!~*'()", "-_.!~*'()")]
    public void Encodes_as_encodeURI(string input, string expected) =>
        DailyUriEncoding.EncodeUri(input).Should().Be(expected);

    // Expected values from JavaScript's decodeURI.
    [Theory]
    [InlineData("Anna%20M%C3%BCller", "Anna Müller")]
    [InlineData("%F0%9F%98%80", "😀")]
    [InlineData("a%2Fb%3F", "a%2Fb%3F")]
    [InlineData("plain", "plain")]
    [InlineData("bad%E6%97", "bad%E6%97")]
    [InlineData("bad%zz", "bad%zz")]
    [InlineData("100%25", "100%")]
    public void Decodes_as_decodeURI(string input, string expected) =>
        DailyUriEncoding.DecodeUri(input).Should().Be(expected);

    [Fact]
    public void Round_trips_names() =>
        Gen.String.Sample(name =>
        {
            if (name.Any(char.IsSurrogate))
            {
                return;
            }

            DailyUriEncoding.DecodeUri(DailyUriEncoding.EncodeUri(name)).Should().Be(name);
        }, iter: 300);
}

using Tavus.Cvi.Interactions.Webhooks;

namespace Tavus.Cvi.Interactions.Tests.Webhooks;

public sealed class WebhookCallbackTokenTests
{
    [Fact]
    public void Tokens_are_url_safe_and_distinct()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => WebhookCallbackToken.Create()).ToList();

        tokens.Should().OnlyHaveUniqueItems();
        tokens.Should().OnlyContain(t => t.Length == 43 && t.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'));
    }

    [Theory]
    [InlineData("https://example.com/tavus/webhook", "https://example.com/tavus/webhook?token=abc")]
    [InlineData("https://example.com/tavus/webhook?tenant=7", "https://example.com/tavus/webhook?tenant=7&token=abc")]
    [InlineData("http://127.0.0.1:5000/hook", "http://127.0.0.1:5000/hook?token=abc")]
    public void The_token_is_added_to_the_query(string url, string expected)
        => WebhookCallbackToken.AddToUrl(new Uri(url), "abc").AbsoluteUri.Should().Be(expected);

    [Fact]
    public void Matching_is_exact()
    {
        WebhookCallbackToken.Matches("abc", "abc").Should().BeTrue();
        WebhookCallbackToken.Matches("abd", "abc").Should().BeFalse();
        WebhookCallbackToken.Matches("ab", "abc").Should().BeFalse();
        WebhookCallbackToken.Matches(null, "abc").Should().BeFalse();
        WebhookCallbackToken.Matches("", "").Should().BeFalse();
        WebhookCallbackToken.Matches("abc", null).Should().BeFalse();
    }
}

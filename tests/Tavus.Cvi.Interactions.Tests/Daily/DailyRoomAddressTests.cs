using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class DailyRoomAddressTests
{
    [Theory]
    [InlineData("https://tavus.daily.co/ca980e2e", "tavus", "ca980e2e")]
    [InlineData("https://TAVUS.daily.co/ca980e2e/", "tavus", "ca980e2e")]
    [InlineData("https://my-team.daily.co/Room_1-a", "my-team", "Room_1-a")]
    [InlineData("https://tavus.daily.co:443/c1", "tavus", "c1")]
    [InlineData("https://tavus.daily.co/c1?foo=bar#frag", "tavus", "c1")]
    public void Accepts_daily_room_urls(string url, string domain, string room)
    {
        var address = DailyRoomAddress.Parse(url, DailyEndpoints.Daily);

        address.Domain.Should().Be(domain);
        address.Room.Should().Be(room);
        address.MeetingString.Should().Be($"{domain}/{room}");
        address.LookupUri.Should().Be(new Uri($"https://gs.daily.co/rooms/check/{domain}/{room}"));
        address.UrlToken.Should().BeNull();
    }

    [Theory]
    [InlineData("http://tavus.daily.co/c1", "https")]
    [InlineData("https://user:pw@tavus.daily.co/c1", "user information")]
    [InlineData("https://user@tavus.daily.co/c1", "user information")]
    [InlineData("https://tavus.daily.co/c1/extra", "path")]
    [InlineData("https://tavus.daily.co/", "path")]
    [InlineData("https://tavus.daily.co", "path")]
    [InlineData("https://daily.co.evil/c1", "not under daily.co")]
    [InlineData("https://tavus.daily.co.evil/c1", "not under daily.co")]
    [InlineData("https://evildaily.co/c1", "not under daily.co")]
    [InlineData("https://tavusdaily.co/c1", "not under daily.co")]
    [InlineData("https://a.b.daily.co/c1", "{domain}.daily.co")]
    [InlineData("https://daily.co/c1", "not under daily.co")]
    [InlineData("https://.daily.co/c1", "not a valid Daily room URL")]
    [InlineData("https://tavus.daily.co:8443/c1", "port")]
    [InlineData("wss://tavus.daily.co/c1", "https")]
    [InlineData("tavus.daily.co/c1", "absolute")]
    [InlineData("https://tavus.daily.co/x/..", "path")]
    [InlineData("https://tavus.daily.co/a%2Fb", "room name")]
    [InlineData("https://tavus.daily.co/r%20oom", "room name")]
    [InlineData("https://127.0.0.1/tavus/c1", "not under daily.co")]
    public void Rejects_urls_that_could_leak_the_token(string url, string reason)
    {
        var act = () => DailyRoomAddress.Parse(url + "?t=SECRET-TOKEN", DailyEndpoints.Daily);

        var thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.Message.Should().Contain(reason);
        thrown.Message.Should().NotContain("SECRET-TOKEN", "the URL may carry a token, so it is never repeated");
        thrown.ParamName.Should().Be("roomUrl");
    }

    [Fact]
    public void Takes_the_token_from_the_t_parameter()
    {
        var address = DailyRoomAddress.Parse("https://tavus.daily.co/c1?lang=en&t=eyJ.tok%2Ben.sig", DailyEndpoints.Daily);

        address.UrlToken.Should().Be("eyJ.tok+en.sig");
        address.LookupUri.Query.Should().BeEmpty("the token never travels in the lookup URL");
    }

    [Fact]
    public void Emulator_endpoints_accept_only_their_own_authority_and_path_form()
    {
        var endpoints = DailyEndpoints.ForEmulator(new Uri("http://127.0.0.1:5123/"));

        var address = DailyRoomAddress.Parse("http://127.0.0.1:5123/tavus/c1?t=tok", endpoints);
        address.Domain.Should().Be("tavus");
        address.Room.Should().Be("c1");
        address.UrlToken.Should().Be("tok");
        address.LookupUri.Should().Be(new Uri("http://127.0.0.1:5123/rooms/check/tavus/c1"));

        foreach (var bad in new[]
                 {
                     "http://127.0.0.1:5124/tavus/c1", "http://localhost:5123/tavus/c1", "http://127.0.0.1:5123/c1",
                     "http://127.0.0.1:5123/tavus/c1/x", "http://u@127.0.0.1:5123/tavus/c1", "https://tavus.daily.co/c1",
                     "ftp://127.0.0.1:5123/tavus/c1",
                 })
        {
            var act = () => DailyRoomAddress.Parse(bad, endpoints);
            act.Should().Throw<ArgumentException>(bad);
        }
    }

    [Fact]
    public void Emulator_endpoints_off_loopback_require_https()
    {
        var endpoints = DailyEndpoints.ForEmulator(new Uri("http://emulator.example:5123/"));

        var act = () => DailyRoomAddress.Parse("http://emulator.example:5123/tavus/c1", endpoints);

        act.Should().Throw<ArgumentException>().WithMessage("*scheme*");
    }

    [Theory]
    [InlineData("wss://ip-203-0-113-7s-us-west-2.wss.daily.co", true)]
    [InlineData("wss://ip-203-0-113-7s-us-west-2-wss.daily.co", true)]
    [InlineData("wss://ip-203-0-113-7s-us-west-2.wss.daily.co:443/path?x=1", true)]
    [InlineData("ws://ip-203-0-113-7s-us-west-2.wss.daily.co", false)]
    [InlineData("https://ip-1.wss.daily.co", false)]
    [InlineData("wss://daily.co", false)]
    [InlineData("wss://evildaily.co", false)]
    [InlineData("wss://x.daily.co.evil", false)]
    [InlineData("wss://user@x.wss.daily.co", false)]
    [InlineData("wss://127.0.0.1:5123/ws", false)]
    public void Signaling_uris_are_checked_against_daily_hosts(string uri, bool allowed) =>
        DailyRoomAddress.IsAllowedSignalingUri(new Uri(uri), DailyEndpoints.Daily).Should().Be(allowed);

    [Theory]
    [InlineData("ws://127.0.0.1:5123/ws/w1", true)]
    [InlineData("wss://127.0.0.1:5123/ws/w1", true)]
    [InlineData("ws://127.0.0.2:5123/ws/w1", false)]
    [InlineData("ws://x.wss.daily.co/ws/w1", false)]
    public void Emulator_signaling_uris_must_be_the_emulator_host(string uri, bool allowed) =>
        DailyRoomAddress.IsAllowedSignalingUri(new Uri(uri), DailyEndpoints.ForEmulator(new Uri("http://127.0.0.1:5123/")))
            .Should().Be(allowed);

    [Fact]
    public void Alternate_worker_uri_replaces_the_wss_label_form()
    {
        DailyRoomAddress.AlternateWorkerUri(new Uri("wss://ip-203-0-113-7s-us-west-2.wss.daily.co/"))
            .Should().Be(new Uri("wss://ip-203-0-113-7s-us-west-2-wss.daily.co/"));
        DailyRoomAddress.AlternateWorkerUri(new Uri("ws://127.0.0.1:5123/ws/w1")).Should().BeNull();
        DailyRoomAddress.AlternateWorkerUri(new Uri("wss://x-wss.daily.co/")).Should().BeNull();
        DailyRoomAddress.AlternateWorkerUri(new Uri("ws://127.0.0.1:5123/signaling/c1/w1.wss"))
            .Should().Be(new Uri("ws://127.0.0.1:5123/signaling/c1/w1-wss"));
        DailyRoomAddress.AlternateWorkerUri(new Uri("wss://example.com/signaling/c1/w1.wss")).Should().BeNull();
    }
}

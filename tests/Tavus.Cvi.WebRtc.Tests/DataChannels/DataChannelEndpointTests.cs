using Tavus.Cvi.WebRtc.DataChannels;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.DataChannels;

public class DataChannelEndpointTests
{
    private static (DataChannelNode Client, DataChannelNode Server, SimulatedNetwork Network) Connect(int seed, NetworkConditions? conditions = null)
    {
        var client = new DataChannelNode(seed * 2 + 1, isDtlsClient: true);
        var server = new DataChannelNode(seed * 2 + 2, isDtlsClient: false);
        var network = new SimulatedNetwork(client, server, seed, conditions);
        client.Endpoint.Connect(network.Now);
        network.RunUntil(
            () => client.Events.OfType<DataChannelAssociationEstablished>().Any() && server.Events.OfType<DataChannelAssociationEstablished>().Any(),
            TimeSpan.FromMinutes(1)).Should().BeTrue();
        return (client, server, network);
    }

    [Fact]
    public void Dcep_opens_a_channel_on_both_sides_with_role_parity()
    {
        var (client, server, network) = Connect(1);
        DataChannelInfo a = client.Endpoint.CreateChannel("chat", new DataChannelOptions { Protocol = "json" }, network.Now);
        DataChannelInfo b = server.Endpoint.CreateChannel("events", null, network.Now);
        a.Id.Should().Be(0);
        b.Id.Should().Be(1);
        network.RunUntil(() => server.Events.OfType<DataChannelOpened>().Count() == 2 && client.Events.OfType<DataChannelOpened>().Count() == 2, TimeSpan.FromSeconds(10)).Should().BeTrue();

        DataChannelOpened remote = server.Events.OfType<DataChannelOpened>().Single(e => e.Remote);
        remote.Channel.Label.Should().Be("chat");
        remote.Channel.Protocol.Should().Be("json");
        remote.Channel.Id.Should().Be(0);

        client.Endpoint.Send(0, "héllo", network.Now);
        client.Endpoint.Send(0, "", network.Now);
        client.Endpoint.Send(0, [], network.Now);
        client.Endpoint.Send(0, new byte[] { 1, 2, 3 }, network.Now);
        server.Endpoint.Send(1, "back", network.Now);
        network.RunUntil(() => server.Messages.Count == 4 && client.Messages.Count == 1, TimeSpan.FromSeconds(10)).Should().BeTrue();
        server.Messages[0].Text.Should().Be("héllo");
        server.Messages[0].IsText.Should().BeTrue();
        server.Messages[1].IsText.Should().BeTrue();
        server.Messages[1].Data.Length.Should().Be(0);
        server.Messages[2].IsText.Should().BeFalse();
        server.Messages[2].Data.Length.Should().Be(0);
        server.Messages[3].Data.ToArray().Should().Equal(1, 2, 3);
        client.Messages[0].Text.Should().Be("back");
    }

    [Fact]
    public void Channels_created_before_the_association_open_when_it_comes_up()
    {
        var client = new DataChannelNode(11, isDtlsClient: true);
        var server = new DataChannelNode(12, isDtlsClient: false);
        var network = new SimulatedNetwork(client, server, 5);
        client.Endpoint.CreateChannel("early", null, network.Now);
        client.Endpoint.Connect(network.Now);
        network.RunUntil(() => server.Events.OfType<DataChannelOpened>().Any(), TimeSpan.FromSeconds(10)).Should().BeTrue();
        client.Events.OfType<DataChannelOpened>().Should().ContainSingle();
    }

    [Fact]
    public void Negotiated_channels_need_no_dcep()
    {
        var (client, server, network) = Connect(2);
        var options = new DataChannelOptions { Negotiated = true, Id = 7 };
        client.Endpoint.CreateChannel("n", options, network.Now);
        server.Endpoint.CreateChannel("n", options, network.Now);
        client.Endpoint.Send(7, "x", network.Now);
        network.RunUntil(() => server.Messages.Count == 1, TimeSpan.FromSeconds(10)).Should().BeTrue();
        server.Messages[0].ChannelId.Should().Be(7);
        server.Events.OfType<DataChannelOpened>().Should().ContainSingle().Which.Remote.Should().BeFalse();
    }

    [Fact]
    public void Closing_a_channel_closes_both_sides_and_frees_the_id()
    {
        var (client, server, network) = Connect(3, NetworkConditions.Lossy());
        client.Endpoint.CreateChannel("one", null, network.Now);
        network.RunUntil(() => server.Events.OfType<DataChannelOpened>().Any(), TimeSpan.FromMinutes(1)).Should().BeTrue();
        for (int i = 0; i < 20; i++)
        {
            client.Endpoint.Send(0, $"m{i}", network.Now);
        }

        client.Endpoint.CloseChannel(0, network.Now);
        network.RunUntil(() => client.Events.OfType<DataChannelClosed>().Any() && server.Events.OfType<DataChannelClosed>().Any(), TimeSpan.FromMinutes(1)).Should().BeTrue();

        // Everything sent before the close arrived, in order.
        server.Messages.Select(m => m.Text).Should().Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"));
        client.Endpoint.Channels.Should().BeEmpty();
        server.Endpoint.Channels.Should().BeEmpty();

        // The id is reused, and the new channel starts a fresh stream sequence.
        DataChannelInfo again = client.Endpoint.CreateChannel("two", null, network.Now);
        again.Id.Should().Be(0);
        network.RunUntil(() => server.Events.OfType<DataChannelOpened>().Count() == 2, TimeSpan.FromMinutes(1)).Should().BeTrue();
        client.Endpoint.Send(0, "after", network.Now);
        network.RunUntil(() => server.Messages.Count == 21, TimeSpan.FromMinutes(1)).Should().BeTrue();
        server.Messages[^1].Text.Should().Be("after");
        server.Endpoint.Channels.Single().Label.Should().Be("two");
    }

    [Fact]
    public void Peer_initiated_close_is_answered()
    {
        var (client, server, network) = Connect(4);
        client.Endpoint.CreateChannel("c", null, network.Now);
        network.RunUntil(() => server.Events.OfType<DataChannelOpened>().Any(), TimeSpan.FromSeconds(10)).Should().BeTrue();
        server.Endpoint.CloseChannel(0, network.Now);
        network.RunUntil(() => client.Events.OfType<DataChannelClosed>().Any() && server.Events.OfType<DataChannelClosed>().Any(), TimeSpan.FromSeconds(30)).Should().BeTrue();
    }
}

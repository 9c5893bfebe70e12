using System.Text;
using Tavus.Cvi.WebRtc.DataChannels;
using Tavus.Cvi.WebRtc.Tests.Sctp;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.DataChannels;

/// <summary>Several channel kinds side by side through 10% loss, duplication, reordering and delay.</summary>
public class DataChannelLossyTests
{
    [Fact]
    public void Mixed_channels_each_keep_their_contract()
    {
        var client = new DataChannelNode(31, isDtlsClient: true);
        var server = new DataChannelNode(32, isDtlsClient: false);
        var network = new SimulatedNetwork(client, server, 33, NetworkConditions.Lossy());
        DataChannelInfo reliable = client.Endpoint.CreateChannel("reliable", null, network.Now);
        DataChannelInfo unordered = client.Endpoint.CreateChannel("unordered", new DataChannelOptions { Ordered = false }, network.Now);
        DataChannelInfo rexmit0 = client.Endpoint.CreateChannel("rexmit0", new DataChannelOptions { MaxRetransmits = 0 }, network.Now);
        DataChannelInfo timed = client.Endpoint.CreateChannel("timed", new DataChannelOptions { Ordered = false, MaxPacketLifetime = TimeSpan.FromMilliseconds(150) }, network.Now);
        client.Endpoint.Connect(network.Now);
        network.RunUntil(() => server.Events.OfType<DataChannelOpened>().Count() == 4, TimeSpan.FromMinutes(1)).Should().BeTrue();
        server.Events.OfType<DataChannelOpened>().Select(e => e.Channel.Label).Should().BeEquivalentTo(["reliable", "unordered", "rexmit0", "timed"]);
        server.Endpoint.Channels.Single(c => c.Label == "timed").MaxPacketLifetime.Should().Be(TimeSpan.FromMilliseconds(150));
        server.Endpoint.Channels.Single(c => c.Label == "rexmit0").MaxRetransmits.Should().Be(0);
        server.Endpoint.Channels.Single(c => c.Label == "unordered").Ordered.Should().BeFalse();

        var random = new Random(34);
        const int count = 600;
        var sizes = new int[count];
        for (int i = 0; i < count; i++)
        {
            sizes[i] = Math.Max(4, TestMessages.Size(random, 256 * 1024));
            client.Endpoint.Send(reliable.Id, TestMessages.Create(i, sizes[i]), network.Now);
            client.Endpoint.Send(unordered.Id, TestMessages.Create(i, 4 + (i % 3000)), network.Now);
            client.Endpoint.Send(rexmit0.Id, TestMessages.Create(i, 4 + (i % 1500)), network.Now);
            client.Endpoint.Send(timed.Id, $"t{i}", network.Now);
        }

        client.Endpoint.Send(reliable.Id, "end", network.Now);
        network.RunUntil(() => server.Messages.Any(m => m.IsText && m.ChannelId == reliable.Id), TimeSpan.FromHours(1)).Should().BeTrue();
        network.RunFor(TimeSpan.FromSeconds(30));

        List<DataChannelMessageReceived> onReliable = server.Messages.Where(m => m.ChannelId == reliable.Id && !m.IsText).ToList();
        onReliable.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, count));
        foreach (DataChannelMessageReceived m in onReliable)
        {
            int index = TestMessages.IndexOf(m.Data.Span);
            m.Data.ToArray().Should().Equal(TestMessages.Create(index, sizes[index]));
        }

        server.Messages.Where(m => m.ChannelId == unordered.Id).Select(m => TestMessages.IndexOf(m.Data.Span)).Should().BeEquivalentTo(Enumerable.Range(0, count));

        List<int> partial = server.Messages.Where(m => m.ChannelId == rexmit0.Id).Select(m => TestMessages.IndexOf(m.Data.Span)).ToList();
        partial.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        partial.Count.Should().BeLessThan(count).And.BeGreaterThan(count / 2);

        List<string> timedTexts = server.Messages.Where(m => m.ChannelId == timed.Id).Select(m => m.Text).ToList();
        timedTexts.Should().OnlyHaveUniqueItems().And.OnlyContain(t => t.StartsWith('t'));
        timedTexts.Count.Should().BeLessThanOrEqualTo(count);

        client.Endpoint.Association.Statistics.MessagesAbandoned.Should().BeGreaterThan(0);
        client.Endpoint.Association.CheckInvariants().Should().BeNull();
        server.Endpoint.Association.CheckInvariants().Should().BeNull();

        // Close them all and reopen: ids come back, fresh channels work.
        foreach (DataChannelInfo c in new[] { reliable, unordered, rexmit0, timed })
        {
            client.Endpoint.CloseChannel(c.Id, network.Now);
        }

        network.RunUntil(() => server.Events.OfType<DataChannelClosed>().Count() == 4 && client.Events.OfType<DataChannelClosed>().Count() == 4, TimeSpan.FromMinutes(10)).Should().BeTrue();
        DataChannelInfo again = client.Endpoint.CreateChannel("again", null, network.Now);
        again.Id.Should().Be(0);
        client.Endpoint.Send(again.Id, Encoding.UTF8.GetBytes("fresh"), network.Now);
        network.RunUntil(() => server.Messages.Count(m => m.ChannelId == 0 && m.Data.Span.SequenceEqual("fresh"u8)) == 1, TimeSpan.FromMinutes(1)).Should().BeTrue();
    }
}

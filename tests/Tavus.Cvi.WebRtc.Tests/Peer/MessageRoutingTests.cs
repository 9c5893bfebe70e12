using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Tests.Peer;

/// <summary>
/// How a received message reaches the application: straight into the async stream from the loop thread when nothing is
/// queued for the channel at the dispatcher, through the dispatcher otherwise, and in arrival order either way.
/// </summary>
public class MessageRoutingTests
{
    [Fact]
    public async Task A_message_skips_the_dispatcher_only_when_no_earlier_one_is_still_queued_there()
    {
        await using var pc = new RtcPeerConnection();
        var channel = pc.CreateDataChannel("routing");
        var viaEvent = new List<byte>();
        EventHandler<RtcDataChannelMessageEventArgs> handler = (_, e) => viaEvent.Add(e.Message.Data.Span[0]);

        channel.MessageReceived += handler;
        channel.TryDeliverDirect(Message(1)).Should().BeFalse("a handler is attached: the dispatcher raises the event");
        channel.MessageReceived -= handler;
        channel.TryDeliverDirect(Message(2)).Should().BeFalse("message 1 is still queued at the dispatcher, so 2 may not overtake it");

        // The dispatcher runs them now; with no handler left both go to the stream, in order.
        channel.Deliver(Message(1), _ => { });
        channel.Deliver(Message(2), _ => { });
        channel.TryDeliverDirect(Message(3)).Should().BeTrue("nothing is queued at the dispatcher any more");

        viaEvent.Should().BeEmpty();
        var read = new List<byte>();
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var message in channel.ReadMessagesAsync(hangGuard.Token))
        {
            read.Add(message.Data.Span[0]);
            if (read.Count == 3)
            {
                break;
            }
        }

        read.Should().Equal(1, 2, 3);
    }

    private static RtcDataChannelMessage Message(byte marker) => new(false, new[] { marker });
}

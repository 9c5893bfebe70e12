using Tavus.Cvi.Emulator.Tests.Infrastructure;

namespace Tavus.Cvi.Emulator.Tests;

/// <summary>
/// Peer-to-peer rooms (daily-protocol.md §7) seen from a raw signaling client: the announcement, the replica's
/// presence, and the replica's own §7 signaling once a client's presence allows a link.
/// </summary>
public sealed class PeerToPeerRoomTests
{
    [Fact]
    public async Task A_peer_to_peer_room_announces_topology_peer_and_the_replica_presence_runs_peer_to_peer()
    {
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { PeerToPeerRooms = true });
        string id = await h.CreateConversationIdAsync();

        // The raw client asks for SFU (sfuRequired:true); the room is peer-to-peer anyway (docs/emulator.md choice).
        await using RawSignalingClient client = await h.JoinAsync(id, "Ann", waitForReplica: false);

        client.SigAck.GetProperty("topology").GetString().Should().Be("peer");
        RawFrame replica = await client.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == h.Emulator.GetReplicaSessionId(id));
        replica.MsgData.GetProperty("rtcType").GetProperty("impl").GetString().Should().Be("peer-to-peer");
        replica.MsgData.GetProperty("user_id").GetString().Should().Contain("tavus-replica");
    }

    [Fact]
    public async Task The_switch_makes_one_conversation_peer_to_peer_and_leaves_the_others_sfu()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string p2p = await h.CreateConversationIdAsync();
        string sfu = await h.CreateConversationIdAsync();
        h.Emulator.FaultsFor(p2p).PeerToPeerTopology = true;

        await using RawSignalingClient a = await h.JoinAsync(p2p, "A", waitForReplica: false);
        await using RawSignalingClient b = await h.JoinAsync(sfu, "B", waitForReplica: false);

        a.SigAck.GetProperty("topology").GetString().Should().Be("peer");
        b.SigAck.GetProperty("topology").GetString().Should().Be("sfu");
    }

    [Fact]
    public async Task The_replica_offers_to_a_client_with_a_higher_session_id_once_its_presence_allows_peer_to_peer()
    {
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { PeerToPeerRooms = true });
        string id = await h.CreateConversationIdAsync();
        const string clientId = "~client"; // '~' sorts above every hex digit: the replica's id is the lower one
        await using RawSignalingClient client = await h.JoinAsync(id, "Ann", sessionId: clientId, waitForReplica: false);
        string replicaId = (await client.WaitForAsync(f => f.MsgStr == "sig-presence")).Root.GetProperty("from").GetString()!;
        h.Emulator.GetRelayLog(id).Should().NotContain(m => m.Tag == "sdp offer", "a passive client without rtcType gets no link (§7)");

        await client.SendAsync(new JsonObject
        {
            ["msgStr"] = "sig-presence",
            ["msgData"] = new JsonObject { ["id"] = clientId, ["name"] = "Ann", ["rtcType"] = new JsonObject { ["impl"] = "peer-to-peer" } },
        });

        RawFrame offer = await client.WaitForAsync(f => f.MsgStr == "sig-msg" && f.Tag == "sdp offer");
        offer.Root.GetProperty("from").GetString().Should().Be(replicaId);
        offer.Root.GetProperty("to").GetString().Should().Be(clientId);
        JsonElement text = offer.MsgData.GetProperty("offer");
        text.ValueKind.Should().Be(JsonValueKind.String, "the description is JSON text (§7)");
        using JsonDocument description = JsonDocument.Parse(text.GetString()!);
        description.RootElement.GetProperty("type").GetString().Should().Be("offer");
        description.RootElement.GetProperty("sdp").GetString().Should().Contain("webrtc-datachannel").And.Contain("a=candidate:");
        offer.MsgData.GetProperty("newRTCConnection").GetBoolean().Should().BeTrue();
    }
}

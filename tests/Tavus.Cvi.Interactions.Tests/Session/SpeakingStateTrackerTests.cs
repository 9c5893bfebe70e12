using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.Interactions.Tests.Session;

public class SpeakingStateTrackerTests
{
    private static SpeakingChanges Observe(SpeakingStateTracker t, string json) =>
        t.Observe(CviJson.DecodeEvent(json), out _, out _);

    [Fact]
    public void A_legacy_start_without_id_adopts_the_id_of_the_new_event_that_follows()
    {
        var t = new SpeakingStateTracker();
        Observe(t, Events.ReplicaStarted(null)).Should().Be(SpeakingChanges.ReplicaStarted);
        Observe(t, Events.StartedSpeaking("replica", "r1")).Should().Be(SpeakingChanges.None);
        Observe(t, Events.StoppedSpeaking("replica", "r1")).Should().Be(SpeakingChanges.ReplicaStopped);
        Observe(t, Events.ReplicaStopped(null)).Should().Be(SpeakingChanges.None);
        Observe(t, Events.ReplicaStopped("r1")).Should().Be(SpeakingChanges.None);
        t.IsReplicaSpeaking.Should().BeFalse();
    }

    [Fact]
    public void A_new_turn_without_a_stop_is_a_new_start_and_a_stale_stop_is_ignored()
    {
        var t = new SpeakingStateTracker();
        Observe(t, Events.StartedSpeaking("pal", "r1")).Should().Be(SpeakingChanges.ReplicaStarted);
        Observe(t, Events.StartedSpeaking("pal", "r2")).Should().Be(SpeakingChanges.ReplicaStarted);
        Observe(t, Events.StoppedSpeaking("pal", "r1")).Should().Be(SpeakingChanges.None);
        t.IsReplicaSpeaking.Should().BeTrue();
        Observe(t, Events.StoppedSpeaking("pal", "r2")).Should().Be(SpeakingChanges.ReplicaStopped);
    }

    [Fact]
    public void A_stop_seen_without_its_start_still_counts()
    {
        var t = new SpeakingStateTracker();
        Observe(t, Events.UserStopped("u7")).Should().Be(SpeakingChanges.UserStopped);
        Observe(t, Events.StoppedSpeaking("user", "u7")).Should().Be(SpeakingChanges.None);
        Observe(t, Events.UserStarted("u7")).Should().Be(SpeakingChanges.None, "that utterance is over");
    }

    [Fact]
    public void An_interruption_is_reported_once_with_its_stop()
    {
        var t = new SpeakingStateTracker();
        Observe(t, Events.StartedSpeaking("replica", "r1"));
        var changes = t.Observe(CviJson.DecodeEvent(Events.StoppedSpeaking("replica", "r1", interrupted: true, duration: 0.25)), out var interrupted, out var duration);
        changes.Should().Be(SpeakingChanges.ReplicaStopped | SpeakingChanges.ReplicaInterrupted);
        interrupted.Should().BeTrue();
        duration.Should().Be(TimeSpan.FromSeconds(0.25));
        Observe(t, Events.ReplicaInterrupted("r1")).Should().Be(SpeakingChanges.None);
        Observe(t, Events.ReplicaInterrupted("r2")).Should().Be(SpeakingChanges.ReplicaInterrupted);
    }

    [Fact]
    public void User_and_replica_are_tracked_apart_and_other_events_change_nothing()
    {
        var t = new SpeakingStateTracker();
        Observe(t, Events.StartedSpeaking("user", "x")).Should().Be(SpeakingChanges.UserStarted);
        Observe(t, Events.StartedSpeaking("replica", "x")).Should().Be(SpeakingChanges.ReplicaStarted);
        Observe(t, Events.Utterance("user", "hi", "x")).Should().Be(SpeakingChanges.None);
        t.IsUserSpeaking.Should().BeTrue();
        t.IsReplicaSpeaking.Should().BeTrue();
    }
}

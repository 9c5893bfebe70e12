using System.Text;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.Interactions.Tests.Session;

public class PalReplicaDuplicateFolderTests
{
    private static bool Dup(PalReplicaDuplicateFolder f, string json) => f.IsDuplicate(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void The_second_copy_of_a_pal_pair_is_a_duplicate_whatever_its_seq_and_timestamp()
    {
        var f = new PalReplicaDuplicateFolder();
        Dup(f, """{"event_type":"conversation.utterance","seq":4,"timestamp":1.5,"properties":{"role":"pal","speech":"Hi"}}""").Should().BeFalse();
        Dup(f, """{"event_type":"conversation.utterance","seq":5,"timestamp":1.6,"properties":{"role":"replica","speech":"Hi"}}""").Should().BeTrue();
    }

    [Fact]
    public void Replica_first_then_pal_is_folded_too_but_a_third_copy_is_not()
    {
        var f = new PalReplicaDuplicateFolder();
        const string replica = """{"event_type":"conversation.stopped_speaking","inference_id":"r1","properties":{"role":"replica","duration":2}}""";
        const string pal = """{"event_type":"conversation.stopped_speaking","inference_id":"r1","properties":{"role":"pal","duration":2}}""";
        Dup(f, replica).Should().BeFalse();
        Dup(f, pal).Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"event_type":"conversation.utterance","properties":{"role":"replica","speech":"Other"}}""")]
    [InlineData("""{"event_type":"conversation.utterance.streaming","properties":{"role":"replica","speech":"Hi"}}""")]
    [InlineData("""{"event_type":"conversation.utterance","inference_id":"x","properties":{"role":"replica","speech":"Hi"}}""")]
    [InlineData("""{"event_type":"conversation.utterance","properties":{"role":"pal","speech":"Hi"}}""")]
    [InlineData("""{"event_type":"conversation.utterance","properties":{"role":"user","speech":"Hi"}}""")]
    public void Messages_that_differ_in_more_than_role_are_not_duplicates(string second)
    {
        var f = new PalReplicaDuplicateFolder();
        Dup(f, """{"event_type":"conversation.utterance","properties":{"role":"pal","speech":"Hi"}}""").Should().BeFalse();
        Dup(f, second).Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"event_type":"conversation.utterance","properties":{"speech":"no role"}}""")]
    [InlineData("""{"event_type":"conversation.utterance","properties":{"role":7}}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"event_type":"conversation.utt""")]
    public void Messages_without_a_pal_or_replica_role_are_never_duplicates(string json)
    {
        var f = new PalReplicaDuplicateFolder();
        Dup(f, json).Should().BeFalse();
        Dup(f, json).Should().BeFalse();
    }

    [Fact]
    public void The_window_is_bounded()
    {
        var f = new PalReplicaDuplicateFolder(window: 2);
        Dup(f, """{"properties":{"role":"pal","speech":"a"}}""").Should().BeFalse();
        Dup(f, """{"properties":{"role":"pal","speech":"b"}}""").Should().BeFalse();
        Dup(f, """{"properties":{"role":"pal","speech":"c"}}""").Should().BeFalse();
        Dup(f, """{"properties":{"role":"replica","speech":"a"}}""").Should().BeFalse("'a' left the window");
        Dup(f, """{"properties":{"role":"replica","speech":"c"}}""").Should().BeTrue();
    }
}

using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>One thing the session publishes to its consumers, in the one order every consumer sees.</summary>
internal sealed class SessionNotification
{
    private SessionNotification(CviEvent? cviEvent, SpeakingChanges speaking, SpeakingStateEventArgs? speakingArgs, EventArgs? args, bool isFirstReplicaJoined = false)
    {
        IsFirstReplicaJoined = isFirstReplicaJoined;
        Event = cviEvent;
        Speaking = speaking;
        SpeakingArgs = speakingArgs;
        Args = args;
    }

    /// <summary>The event, for event notifications.</summary>
    public CviEvent? Event { get; }

    /// <summary>The speaking changes the event announced, after folding.</summary>
    public SpeakingChanges Speaking { get; }

    /// <summary>The arguments of the speaking events, when <see cref="Speaking"/> is not empty.</summary>
    public SpeakingStateEventArgs? SpeakingArgs { get; }

    /// <summary>The arguments of a room notification (state, participant, end).</summary>
    public EventArgs? Args { get; }

    /// <summary>Whether the event is the first <c>system.replica_joined</c>/<c>system.pal_joined</c> of the session.</summary>
    public bool IsFirstReplicaJoined { get; }

    public static SessionNotification ForEvent(CviEvent cviEvent, SpeakingChanges speaking, SpeakingStateEventArgs? speakingArgs, bool isFirstReplicaJoined) =>
        new(cviEvent, speaking, speakingArgs, null, isFirstReplicaJoined);

    public static SessionNotification ForRoom(EventArgs args) => new(null, SpeakingChanges.None, null, args);
}

using System.Collections.Concurrent;
using Tavus.Cvi.Interactions.Webhooks;

namespace WebhookReceiver;

/// <summary>The webhook endpoint: parse, authenticate with the URL token, then act on the typed event.</summary>
public static class WebhookEndpoints
{
    /// <summary>The path Tavus posts to.</summary>
    public const string Path = "/tavus/webhook";

    /// <summary>Maps <c>POST /tavus/webhook?token=...</c>.</summary>
    public static IEndpointRouteBuilder MapTavusWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpRequest request,
        CallbackTokenStore tokens,
        ReceivedWebhooks received,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("WebhookReceiver");
        var token = request.Query[WebhookCallbackToken.DefaultParameterName].ToString();

        // Reject unknown tokens before reading the body, so strangers cannot make us parse megabytes.
        if (!tokens.IsIssued(token))
        {
            return Results.Unauthorized();
        }

        var result = await TavusWebhookParser.ParseAsync(request.Body, cancellationToken: cancellationToken);
        if (!result.IsValid)
        {
            SampleLog.Rejected(logger, result.Error);
            return Results.BadRequest(new { error = result.Error });
        }

        var webhook = result.Event;
        if (!tokens.Accepts(token, webhook.ConversationId))
        {
            SampleLog.WrongConversation(logger, webhook.EventType, webhook.ConversationId);
            return Results.Unauthorized();
        }

        received.Add(webhook);
        var id = webhook.ConversationId;
        switch (webhook)
        {
            case ReplicaJoinedWebhookEvent joined:
                SampleLog.Joined(logger, id, joined.FaceId, joined.EventType);
                break;
            case ShutdownWebhookEvent { ShutdownReason.IsError: true } shutdown:
                SampleLog.EndedByError(logger, id, shutdown.ShutdownReason.Value);
                break;
            case ShutdownWebhookEvent shutdown:
                SampleLog.Ended(logger, id, shutdown.ShutdownReason.Kind, shutdown.ShutdownReason.Value);
                break;
            case TranscriptionReadyWebhookEvent transcript:
                SampleLog.Transcript(logger, id, transcript.Transcript.Count);
                foreach (var entry in transcript.Transcript)
                {
                    if (entry.Role != TranscriptEntry.SystemRole)
                    {
                        SampleLog.TranscriptLine(logger, entry.Role, entry.Content);
                    }
                }

                break;
            case RecordingReadyWebhookEvent recording:
                SampleLog.Recording(logger, id, recording.Location);
                break;
            case PerceptionAnalysisWebhookEvent analysis:
                SampleLog.Analysis(logger, id, analysis.Analysis);
                break;
            default:
                SampleLog.Other(logger, id, webhook.EventType);
                break;
        }

        // Tavus documents no retry policy (§E): answer fast and do slow work elsewhere.
        return Results.Ok();
    }
}

/// <summary>The webhooks received so far (for <c>GET /webhooks</c> in this sample).</summary>
public sealed class ReceivedWebhooks
{
    private readonly ConcurrentQueue<TavusWebhookEvent> _events = new();

    /// <summary>Records an event.</summary>
    public void Add(TavusWebhookEvent webhook) => _events.Enqueue(webhook);

    /// <summary>The events in arrival order.</summary>
    public IReadOnlyList<TavusWebhookEvent> All => [.. _events];
}

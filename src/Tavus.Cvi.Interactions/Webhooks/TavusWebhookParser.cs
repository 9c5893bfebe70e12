using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Rest;

namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>
/// Parses the body of a Tavus conversation webhook (tavus-protocol.md §E) into a typed <see cref="TavusWebhookEvent"/>.
/// Works from any endpoint (ASP.NET Core: <c>await TavusWebhookParser.ParseAsync(request.Body)</c>). Never throws on
/// bad input: a body that is not a webhook gives an invalid <see cref="TavusWebhookParseResult"/>; an event type this
/// SDK does not know gives an <see cref="UnknownWebhookEvent"/> with its raw JSON.
/// </summary>
/// <remarks>
/// Tavus does not sign webhooks (§E). Authenticate them yourself: give each conversation a callback URL with a secret
/// token (<see cref="WebhookCallbackToken"/>) and check the token and <see cref="TavusWebhookEvent.ConversationId"/>.
/// </remarks>
public static class TavusWebhookParser
{
    /// <summary>The default largest body accepted, 4 MiB (transcripts of long calls are large, but not that large).</summary>
    public const int DefaultMaxBytes = 4 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses a UTF-8 body.</summary>
    /// <param name="utf8Json">The body.</param>
    /// <returns>The event, or why the body is not a webhook.</returns>
    public static TavusWebhookParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty)
        {
            return TavusWebhookParseResult.Invalid("The body is empty.");
        }

        return ParseMemory(utf8Json.ToArray());
    }

    /// <summary>Parses a body given as text.</summary>
    /// <param name="json">The body.</param>
    /// <returns>The event, or why the body is not a webhook.</returns>
    public static TavusWebhookParseResult Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return TavusWebhookParseResult.Invalid("The body is empty.");
        }

        return ParseMemory(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads a body from a stream (such as <c>HttpRequest.Body</c>) and parses it.</summary>
    /// <param name="body">The body; read to its end, not disposed.</param>
    /// <param name="maxBytes">The largest body accepted; a longer one is invalid and is not read further.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The event, or why the body is not a webhook (including a body that failed to arrive).</returns>
    public static async ValueTask<TavusWebhookParseResult> ParseAsync(
        Stream body,
        int maxBytes = DefaultMaxBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, maxBytes + 1) - length), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    // A client that disconnects mid-body (ASP.NET Core's BadHttpRequestException is an IOException).
                    return TavusWebhookParseResult.Invalid("The body could not be read: " + ex.GetType().Name + ".");
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return TavusWebhookParseResult.Invalid(
                        string.Create(CultureInfo.InvariantCulture, $"The body is larger than {maxBytes} bytes."));
                }
            }

            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static TavusWebhookParseResult ParseMemory(ReadOnlyMemory<byte> utf8Json)
    {
        // JsonDocument checks UTF-8 only when a string is read; check it all up front so no read below can throw.
        if (!Utf8.IsValid(utf8Json.Span))
        {
            return TavusWebhookParseResult.Invalid("The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return TavusWebhookParseResult.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"The body is not valid JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine})."));
        }
        catch (ArgumentException)
        {
            return TavusWebhookParseResult.Invalid("The body is not valid UTF-8 JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return TavusWebhookParseResult.Invalid("The body is a JSON " + root.ValueKind.ToString().ToLowerInvariant() + ", not an object.");
            }

            string eventType;
            if (root.TryGetProperty("event_type", out var eventTypeElement))
            {
                if (eventTypeElement.ValueKind != JsonValueKind.String)
                {
                    return TavusWebhookParseResult.Invalid("event_type is not a string.");
                }

                eventType = eventTypeElement.GetString()!;
            }
            else
            {
                // Replica-training and video callbacks are flat objects without an envelope (§E); keep them raw.
                eventType = string.Empty;
            }

            var raw = root.Clone();
            var properties = raw.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            return TavusWebhookParseResult.Valid(Create(eventType, raw, properties));
        }
    }

    private static TavusWebhookEvent Create(string eventType, JsonElement raw, JsonElement properties)
    {
        TavusWebhookEvent result = eventType switch
        {
            TavusWebhookEventTypes.ReplicaJoined or TavusWebhookEventTypes.PalJoined
                => new ReplicaJoinedWebhookEvent { EventType = eventType },
            TavusWebhookEventTypes.Shutdown => new ShutdownWebhookEvent
            {
                EventType = eventType,
                ShutdownReason = new ShutdownReason(ReadText(properties, "shutdown_reason") ?? string.Empty),
            },
            TavusWebhookEventTypes.TranscriptionReady => new TranscriptionReadyWebhookEvent
            {
                EventType = eventType,
                Transcript = ReadTranscript(properties),
            },
            TavusWebhookEventTypes.RecordingReady => new RecordingReadyWebhookEvent
            {
                EventType = eventType,
                BucketName = ReadText(properties, "bucket_name"),
                S3Key = ReadText(properties, "s3_key"),
                Duration = ReadNumber(properties, "duration"),
                StorageProvider = ReadText(properties, "storage_provider"),
                StorageUri = ReadText(properties, "storage_uri"),
            },
            TavusWebhookEventTypes.PerceptionAnalysis => new PerceptionAnalysisWebhookEvent
            {
                EventType = eventType,
                Analysis = ReadText(properties, "analysis"),
            },
            _ => new UnknownWebhookEvent { EventType = eventType },
        };

        return result with
        {
            MessageType = ReadText(raw, "message_type"),
            ConversationId = ReadText(raw, "conversation_id"),
            WebhookUrl = ReadText(raw, "webhook_url"),
            Timestamp = raw.TryGetProperty("timestamp", out var timestamp) ? TavusTimestamp.Read(timestamp) : null,
            FaceId = ReadText(properties, "face_id") ?? ReadText(properties, "replica_id") ?? ReadText(raw, "replica_id"),
            Properties = properties,
            Raw = raw,
        };
    }

    private static List<TranscriptEntry> ReadTranscript(JsonElement properties)
    {
        if (properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty("transcript", out var transcript)
            || transcript.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var entries = new List<TranscriptEntry>(transcript.GetArrayLength());
        foreach (var item in transcript.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            entries.Add(new TranscriptEntry
            {
                Role = ReadText(item, "role") ?? string.Empty,
                Content = ReadText(item, "content") ?? (item.TryGetProperty("content", out var content) && content.ValueKind is not JsonValueKind.Null
                    ? content.GetRawText()
                    : string.Empty),
                Timestamp = item.TryGetProperty("timestamp", out var timestamp) ? TavusTimestamp.Read(timestamp) : null,
                SecondsFromStart = ReadNumber(item, "seconds_from_start"),
                Duration = ReadNumber(item, "duration"),
                InferenceId = ReadText(item, "inference_id"),
                Raw = item,
            });
        }

        return entries;
    }

    private static string? ReadText(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    // Numbers arrive as JSON numbers or numeric strings (§G.2: tolerant duration).
    private static double? ReadNumber(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var number) => number,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}

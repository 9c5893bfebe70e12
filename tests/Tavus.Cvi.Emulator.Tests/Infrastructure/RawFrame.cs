namespace Tavus.Cvi.Emulator.Tests.Infrastructure;

/// <summary>One frame a raw test client received: its text, whether it was binary, and its JSON if it parsed.</summary>
internal sealed record RawFrame(string Text, bool Binary, JsonElement? Json)
{
    public string? MsgStr => Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("msgStr", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;

    public string? Tag => Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("tag", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    public JsonElement Root => Json ?? throw new InvalidOperationException("not JSON: " + Text);

    /// <summary>The Tavus event type of an app message frame, if any.</summary>
    public string? EventType => MsgStr == "sig-msg" && Tag == "x-egassem" && Root.GetProperty("msgData") is { ValueKind: JsonValueKind.Object } d &&
        d.TryGetProperty("event_type", out var e) ? e.GetString() : null;

    public JsonElement MsgData => Root.GetProperty("msgData");

    /// <summary><c>properties</c> of a Tavus event.</summary>
    public JsonElement Props => MsgData.TryGetProperty("properties", out var p) ? p : default;

    public string? Role => Props.ValueKind == JsonValueKind.Object && Props.TryGetProperty("role", out var r) ? r.GetString() : null;

    public long Seq => MsgData.GetProperty("seq").GetInt64();

    public int? TurnIdx => MsgData.TryGetProperty("turn_idx", out var t) ? t.GetInt32() : null;

    public string? InferenceId => MsgData.TryGetProperty("inference_id", out var i) ? i.GetString() : null;

    public override string ToString() => Text;
}

using System.Text;
using CsCheck;
using Tavus.Cvi.Interactions.Webhooks;

namespace Tavus.Cvi.Interactions.Tests.Webhooks;

/// <summary>Bad input is a typed invalid result, never an exception.</summary>
public sealed class TavusWebhookParserInvalidTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{ "event_type": "system.shutdown" """, "not valid JSON")]
    [InlineData("[1,2,3]", "array")]
    [InlineData("\"system.shutdown\"", "string")]
    [InlineData("null", "null")]
    [InlineData("""{ "event_type": 7 }""", "event_type is not a string")]
    [InlineData("""{ "event_type": null }""", "event_type is not a string")]
    public void Bad_bodies_are_invalid(string body, string reason)
    {
        var result = TavusWebhookParser.Parse(body);

        result.IsValid.Should().BeFalse();
        result.Event.Should().BeNull();
        result.Error.Should().Contain(reason);
        result.ToString().Should().StartWith("invalid: ");
    }

    [Fact]
    public void The_error_never_quotes_the_body()
    {
        var result = TavusWebhookParser.Parse("""{ "event_type": "x", "secret": "s3cr3t" """);
        result.IsValid.Should().BeFalse();
        result.Error.Should().NotContain("s3cr3t");
    }

    [Fact]
    public void Invalid_utf8_is_invalid()
    {
        var inName = TavusWebhookParser.Parse(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' });
        var inEventType = TavusWebhookParser.Parse(Encoding.UTF8.GetBytes("{\"event_type\":\"a").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray());

        inName.IsValid.Should().BeFalse();
        inEventType.IsValid.Should().BeFalse();
        inEventType.Error.Should().Contain("UTF-8");
    }

    [Fact]
    public void Null_string_and_empty_bytes_are_invalid()
    {
        TavusWebhookParser.Parse((string?)null).IsValid.Should().BeFalse();
        TavusWebhookParser.Parse(ReadOnlySpan<byte>.Empty).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Wrongly_typed_fields_are_tolerated()
    {
        var result = TavusWebhookParser.Parse("""
            { "event_type": "application.recording_ready", "conversation_id": 5, "timestamp": "yesterday",
              "properties": { "bucket_name": ["x"], "duration": "n/a" } }
            """);

        var recording = result.Event.Should().BeOfType<RecordingReadyWebhookEvent>().Subject;
        recording.ConversationId.Should().BeNull();
        recording.Timestamp.Should().BeNull();
        recording.BucketName.Should().BeNull();
        recording.Duration.Should().BeNull();
        recording.Location.Should().BeNull();
    }

    [Fact]
    public void Properties_that_are_not_an_object_are_ignored()
    {
        var result = TavusWebhookParser.Parse("""{ "event_type": "application.transcription_ready", "properties": "oops" }""");
        result.Event.Should().BeOfType<TranscriptionReadyWebhookEvent>().Which.Transcript.Should().BeEmpty();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_invalid_and_not_read_to_the_end()
    {
        var big = Encoding.UTF8.GetBytes("{\"event_type\":\"x\",\"pad\":\"" + new string('a', 10_000) + "\"}");
        await using var stream = new MemoryStream(big);

        var result = await TavusWebhookParser.ParseAsync(stream, maxBytes: 1000, TestContext.Current.CancellationToken);

        result.IsValid.Should().BeFalse();
        result.Error.Should().Contain("larger than 1000 bytes");
        stream.Position.Should().BeLessThan(big.Length);
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_accepted()
    {
        var body = Encoding.UTF8.GetBytes("""{"event_type":"system.shutdown"}""");
        await using var stream = new MemoryStream(body);

        var result = await TavusWebhookParser.ParseAsync(stream, maxBytes: body.Length, TestContext.Current.CancellationToken);

        result.IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task A_body_that_fails_to_arrive_is_invalid()
    {
        await using var stream = new FailingStream();

        var result = await TavusWebhookParser.ParseAsync(stream, cancellationToken: TestContext.Current.CancellationToken);

        result.IsValid.Should().BeFalse();
        result.Error.Should().Contain("could not be read");
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{}"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await FluentActions.Awaiting(async () => await TavusWebhookParser.ParseAsync(stream, cancellationToken: cts.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Arbitrary_bytes_never_throw()
        => Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var result = TavusWebhookParser.Parse(bytes);
            return result.IsValid ? result.Event is not null : result.Error is not null;
        }, iter: 2000);

    [Fact]
    public void Arbitrary_mutations_of_a_valid_webhook_never_throw()
    {
        const string valid = """{ "properties": { "replica_id": "r1", "transcript": [ { "role": "user", "content": "hi", "duration": 1 } ], "shutdown_reason": "x" }, "conversation_id": "c1", "event_type": "application.transcription_ready", "timestamp": "2025-07-11T06:45:47.472000Z" }""";
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Char.AlphaNumeric, Gen.Int[0, 2]).Sample((position, c, op) =>
        {
            var text = op switch
            {
                0 => valid.Remove(position, 1),
                1 => valid.Insert(position, c.ToString()),
                _ => valid[..position],
            };
            var result = TavusWebhookParser.Parse(text);
            return result.IsValid || result.Error is not null;
        }, iter: 2000);
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("The client disconnected.");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromException<int>(new IOException("The client disconnected."));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

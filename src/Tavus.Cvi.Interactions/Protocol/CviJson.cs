using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// The JSON codec of the protocol: decodes events, encodes interactions, and the reverse for the emulator.
/// </summary>
/// <remarks>
/// <para>
/// Reading is liberal: every variant listed in tavus-protocol.md (⚠ CONFLICT) is accepted, unknown keys are kept, an
/// unknown <c>event_type</c> becomes an <see cref="UnknownEvent"/>, and input that cannot be read becomes an
/// <see cref="InvalidMessageEvent"/>: <see cref="DecodeEvent(ReadOnlySpan{byte}, CviJsonReadOptions?)"/> never throws.
/// Writing is exact: the documented names and shapes, JSON booleans, and the escaping of JavaScript's
/// <c>JSON.stringify</c> (non-ASCII is not escaped), so the UTF-16 length of the text is what daily-js measures
/// against the app-message limit (daily-protocol.md §6).
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public static class CviJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // daily-js limits app messages by JSON.stringify(data).length, which leaves non-ASCII unescaped; the default
        // encoder would escape it and make messages look up to 6x longer than Daily counts them (see
        // JsonStringifyEncoder).
        Encoder = JsonStringifyEncoder.Instance,
        Indented = false,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Frozen serializer options backed by the SDK's source-generated metadata: use them to put events and
    /// interactions inside your own JSON with <see cref="JsonSerializer"/> (AOT-safe). Invalid events throw there.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateSerializerOptions();

    /// <summary>Decodes one event. Never throws.</summary>
    /// <param name="utf8">The message as UTF-8 JSON, as the room delivered it.</param>
    /// <param name="options">Size and depth limits; <see cref="CviJsonReadOptions.Default"/> when null.</param>
    /// <returns>
    /// The typed event; an <see cref="UnknownEvent"/> for an unknown <c>event_type</c>; an
    /// <see cref="InvalidMessageEvent"/> for input that is not a readable event.
    /// </returns>
    public static CviEvent DecodeEvent(ReadOnlySpan<byte> utf8, CviJsonReadOptions? options = null)
    {
        try
        {
            return EventDecoder.Decode(utf8, options ?? CviJsonReadOptions.Default);
        }
#pragma warning disable CA1031 // The contract is "never throws": a decoder bug must not break the user's receive loop.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return new InvalidMessageEvent(InvalidMessageKind.NotJson, "The message could not be decoded: " + e.GetType().Name, string.Empty);
        }
    }

    /// <summary>Decodes one event from JSON text. Never throws.</summary>
    /// <param name="json">The message as JSON text.</param>
    /// <param name="options">Size and depth limits; <see cref="CviJsonReadOptions.Default"/> when null.</param>
    /// <returns>The typed, unknown or invalid event.</returns>
    public static CviEvent DecodeEvent(string json, CviJsonReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        options ??= CviJsonReadOptions.Default;

        // UTF-8 never has fewer bytes than UTF-16 has code units, so a string this long is too large without
        // transcoding it (and a huge one would overflow the buffer size).
        if (json.Length > options.MaxMessageBytes)
        {
            return new InvalidMessageEvent(
                InvalidMessageKind.TooLarge,
                $"The message is {json.Length} characters, over the limit of {options.MaxMessageBytes} bytes.",
                json.Length > options.MaxRawTextChars ? json[..options.MaxRawTextChars] : json);
        }

        var max = System.Text.Encoding.UTF8.GetMaxByteCount(json.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(json, rented);
            return DecodeEvent(rented.AsSpan(0, length), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes one interaction, as the emulator reads what a client sent. Never throws.</summary>
    /// <param name="utf8">The message as UTF-8 JSON.</param>
    /// <param name="interaction">The interaction (an <see cref="UnknownInteraction"/> for an unknown <c>event_type</c>), or null.</param>
    /// <param name="error">Why the message could not be read, naming the field where there is one; null on success.</param>
    /// <returns>Whether the message was a readable interaction.</returns>
    public static bool TryDecodeInteraction(ReadOnlySpan<byte> utf8, out CviInteraction? interaction, out string? error) =>
        TryDecodeInteraction(utf8, CviJsonReadOptions.Default, out interaction, out error);

    /// <summary>Decodes one interaction with explicit limits. Never throws.</summary>
    /// <param name="utf8">The message as UTF-8 JSON.</param>
    /// <param name="options">Size and depth limits.</param>
    /// <param name="interaction">The interaction, or null.</param>
    /// <param name="error">Why the message could not be read; null on success.</param>
    /// <returns>Whether the message was a readable interaction.</returns>
    public static bool TryDecodeInteraction(ReadOnlySpan<byte> utf8, CviJsonReadOptions options, out CviInteraction? interaction, out string? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return InteractionDecoder.TryDecode(utf8, options, out interaction, out error);
        }
#pragma warning disable CA1031 // "Try" methods report failure; they do not throw.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            interaction = null;
            error = "The message could not be decoded: " + e.GetType().Name;
            return false;
        }
    }

    /// <summary>Encodes an interaction as UTF-8 JSON, exactly as documented.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="options">Write options (legacy names); <see cref="CviJsonWriteOptions.Default"/> when null.</param>
    /// <returns>The UTF-8 JSON bytes.</returns>
    /// <exception cref="ArgumentException">The interaction has no valid JSON form (a realtime body that is not an object).</exception>
    public static byte[] EncodeInteraction(CviInteraction interaction, CviJsonWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var (buffer, writer) = RentWriter();
        try
        {
            InteractionEncoder.Write(writer, interaction, options ?? CviJsonWriteOptions.Default);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            ReturnWriter(buffer, writer);
        }
    }

    /// <summary>Encodes an interaction as UTF-8 JSON into a buffer, exactly as documented.</summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="options">Write options (legacy names); <see cref="CviJsonWriteOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The interaction has no valid JSON form.</exception>
    public static void EncodeInteraction(CviInteraction interaction, IBufferWriter<byte> destination, CviJsonWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(destination);
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        InteractionEncoder.Write(writer, interaction, options ?? CviJsonWriteOptions.Default);
    }

    /// <summary>Encodes an event as UTF-8 JSON (the emulator's side): envelope, properties and kept unknown keys.</summary>
    /// <param name="evt">The event. An <see cref="UnknownEvent"/> is written as its raw JSON.</param>
    /// <returns>The UTF-8 JSON bytes.</returns>
    /// <exception cref="ArgumentException">The event is an <see cref="InvalidMessageEvent"/>, which has no JSON form.</exception>
    public static byte[] EncodeEvent(CviEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var (buffer, writer) = RentWriter();
        try
        {
            EventEncoder.Write(writer, evt);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            ReturnWriter(buffer, writer);
        }
    }

    /// <summary>Encodes an event as UTF-8 JSON into a buffer.</summary>
    /// <param name="evt">The event.</param>
    /// <param name="destination">Where the bytes go.</param>
    /// <exception cref="ArgumentException">The event is an <see cref="InvalidMessageEvent"/>.</exception>
    public static void EncodeEvent(CviEvent evt, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(destination);
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        EventEncoder.Write(writer, evt);
    }

    /// <summary>
    /// The length of a UTF-8 JSON message as daily-js counts it against the app-message limit: UTF-16 code units
    /// (daily-protocol.md §6).
    /// </summary>
    /// <param name="utf8">The encoded message.</param>
    /// <returns>The number of UTF-16 code units.</returns>
    public static int GetUtf16Length(ReadOnlySpan<byte> utf8) => System.Text.Encoding.UTF8.GetCharCount(utf8);

    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) RentWriter()
    {
        // One buffer and writer per thread, reset between uses: encoding allocates only the result array.
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ?? new Utf8JsonWriter(buffer, WriterOptions);
        t_buffer = null;
        t_writer = null;
        writer.Reset(buffer);
        return (buffer, writer);
    }

    private static void ReturnWriter(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        // Large buffers (audio echo) are not kept, so an idle thread does not hold them.
        if (buffer.Capacity > 64 * 1024)
        {
            writer.Dispose();
            return;
        }

        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        t_buffer = buffer;
        t_writer = writer;
    }

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions(CviJsonContext.Default.Options)
        {
            Encoder = JsonStringifyEncoder.Instance,
        };
        options.MakeReadOnly();
        return options;
    }
}

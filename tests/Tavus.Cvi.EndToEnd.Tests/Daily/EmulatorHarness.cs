using Tavus.Cvi.Emulator;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Rest;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.EndToEnd.Tests.Daily;

/// <summary>An emulator, a REST client for it, and helpers to join its conversations with the SDK.</summary>
internal sealed class EmulatorHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private EmulatorHarness(CviEmulator emulator, TavusClient tavus)
    {
        Emulator = emulator;
        Tavus = tavus;
    }

    public CviEmulator Emulator { get; }

    public TavusClient Tavus { get; }

    public static async Task<EmulatorHarness> StartAsync(CviEmulatorOptions? options = null)
    {
        var emulator = await CviEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        var tavus = new TavusClient(emulator.ApiKey, new TavusClientOptions { BaseUri = emulator.TavusApiBaseUri });
        return new EmulatorHarness(emulator, tavus);
    }

    public Task<Conversation> CreateConversationAsync(string name = "daily e2e") =>
        Tavus.CreateConversationAsync(new CreateConversationRequest { ConversationName = name }, TestContext.Current.CancellationToken);

    public DailyTransportOptions DailyOptions(Action<DailyTransportOptions>? configure = null)
    {
        var options = new DailyTransportOptions { Endpoints = Emulator.DailyEndpoints, DisplayName = "E2E client" };
        configure?.Invoke(options);
        return options;
    }

    public CviSessionOptions SessionOptions(Action<DailyTransportOptions>? configure = null) =>
        new() { Daily = DailyOptions(configure) };

    public async Task<CviSession> JoinAsync(Conversation conversation, CviSessionOptions? options = null) =>
        await CviSession.JoinAsync(conversation.ConversationUrl!.ToString(), conversation.ConversationId, options ?? SessionOptions(),
            TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

    /// <summary>The payloads the emulator relayed from one sender, oldest first.</summary>
    public IReadOnlyList<string> RelayedFrom(string conversationId, string sessionId) =>
        Emulator.GetRelayLog(conversationId).Where(m => m.From == sessionId && m.Tag == "x-egassem").Select(m => m.Payload).ToList();

    public async ValueTask DisposeAsync()
    {
        Tavus.Dispose();
        await Emulator.DisposeAsync();
    }
}

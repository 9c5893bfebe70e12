using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.Emulator.Tests.Infrastructure;

/// <summary>A tiny Kestrel app on 127.0.0.1 that records the webhook POSTs it receives.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(string Path, string ContentType, JsonObject Body)> _received = Channel.CreateUnbounded<(string, string, JsonObject)>();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            string text = await reader.ReadToEndAsync();
            await receiver._received.Writer.WriteAsync((context.Request.Path + context.Request.QueryString, context.Request.ContentType ?? string.Empty, JsonNode.Parse(text)!.AsObject()));
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return receiver;
    }

    public async Task<(string Path, string ContentType, JsonObject Body)> NextAsync()
    {
        using var cts = new CancellationTokenSource(RawSignalingClient.DefaultTimeout);
        return await _received.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

// A minimal ASP.NET Core server that creates Tavus conversations whose webhooks come back to it, and receives them
// safely: each conversation gets its own secret token in the callback URL's query string (tavus-protocol.md §E).
//
//   TAVUS_API_KEY=...  PUBLIC_BASE_URL=https://your-tunnel.example  dotnet run --project samples/WebhookReceiver
//   curl -X POST "http://localhost:5000/conversations?face_id=r4067604db72"
//
// TAVUS_API_BASE points the client at another API base (such as the emulator's TavusApiBaseUri).
using Tavus.Cvi.Interactions.Rest;
using WebhookReceiver;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<CallbackTokenStore>();
builder.Services.AddSingleton<ReceivedWebhooks>();

// TavusClient as a typed client of IHttpClientFactory: the factory owns handler lifetimes, the key stays in config.
// Without a key the server still receives webhooks; only POST /conversations needs the client.
if (builder.Configuration["TAVUS_API_KEY"] is { Length: > 0 } apiKey)
{
    builder.Services.AddHttpClient("Tavus").AddTypedClient((http, services) =>
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var options = new TavusClientOptions { LoggerFactory = services.GetRequiredService<ILoggerFactory>() };
        if (configuration["TAVUS_API_BASE"] is { Length: > 0 } apiBase)
        {
            options.BaseUri = new Uri(apiBase);
        }

        return new TavusClient(http, apiKey, options);
    });
}

var app = builder.Build();

app.MapTavusWebhook();

app.MapPost("/conversations", async (HttpRequest request, IServiceProvider services, CallbackTokenStore tokens,
    IConfiguration configuration, CancellationToken cancellationToken) =>
{
    if (services.GetService<TavusClient>() is not { } tavus)
    {
        return Results.Problem(title: "Set TAVUS_API_KEY to create conversations.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    // The URL Tavus can reach us at: a public tunnel in development, our own address otherwise.
    var publicBase = configuration["PUBLIC_BASE_URL"] is { Length: > 0 } configured
        ? new Uri(configured)
        : new Uri($"{request.Scheme}://{request.Host}/");
    var token = tokens.Issue();
    try
    {
        var conversation = await tavus.CreateConversationAsync(new CreateConversationRequest
        {
            FaceId = request.Query["face_id"].ToString() is { Length: > 0 } faceId ? faceId : null,
            PalId = request.Query["pal_id"].ToString() is { Length: > 0 } palId ? palId : null,
            CallbackUrl = Tavus.Cvi.Interactions.Webhooks.WebhookCallbackToken.AddToUrl(new Uri(publicBase, WebhookEndpoints.Path), token),
            ConversationName = "WebhookReceiver sample",
        }, cancellationToken);
        tokens.Bind(token, conversation.ConversationId);
        return Results.Ok(new { conversation.ConversationId, conversation.ConversationUrl, Status = conversation.Status?.Value });
    }
    catch (TavusApiException ex)
    {
        tokens.Revoke(token);
        return Results.Problem(title: "Tavus refused to create the conversation", detail: ex.ApiMessage ?? ex.Error,
            statusCode: StatusCodes.Status502BadGateway);
    }
});

app.MapGet("/webhooks", (ReceivedWebhooks received) =>
    received.All.Select(w => new { w.EventType, w.ConversationId, w.Timestamp }));

app.Run();

/// <summary>Visible to tests (WebApplicationFactory-style hosting).</summary>
public partial class Program;

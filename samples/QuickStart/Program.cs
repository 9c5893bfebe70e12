// The QuickStart: one whole Tavus CVI conversation, end to end.
//   dotnet run --project samples/QuickStart
// Without TAVUS_API_KEY it runs against the emulator embedded in this process; with it, against Tavus
// (TAVUS_FACE_ID and TAVUS_PAL_ID choose the face and the PAL; the PAL needs a get_weather tool for the tool step).
using QuickStart;

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var settings = new QuickStartSettings
{
    ApiKey = Environment.GetEnvironmentVariable("TAVUS_API_KEY") is { Length: > 0 } key ? key : null,
    FaceId = Environment.GetEnvironmentVariable("TAVUS_FACE_ID"),
    PalId = Environment.GetEnvironmentVariable("TAVUS_PAL_ID"),
};

try
{
    await QuickStartFlow.RunAsync(Console.Out, settings, cancel.Token);
    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("The QuickStart timed out or was cancelled.");
    return 2;
}
catch (Exception ex) when (ex is Tavus.Cvi.Interactions.Rest.TavusApiException or Tavus.Cvi.Interactions.Transport.CviException or HttpRequestException)
{
    Console.Error.WriteLine($"The QuickStart failed: {ex.Message}");
    return 1;
}

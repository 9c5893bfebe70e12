using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Emulator;
using Tavus.Cvi.Emulator.Replica;

// `dotnet run --project src/Tavus.Cvi.Emulator -- [--port N] [--scenario file.json] [--api-key KEY] [--batch] [--peer-to-peer]
//  [--max-message-size N] [--max-concurrent N] [--relay-log N] [--quiet]`: serves until Ctrl+C and logs every relayed message.
var options = new CviEmulatorOptions { Port = 5123 };
bool quiet = false;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--port": options.Port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--scenario": options.Scenario = EmulatorScenario.Load(Next()); break;
        case "--api-key": options.ApiKey = Next(); break;
        case "--batch": options.BatchSignalingFrames = true; break;
        case "--peer-to-peer": options.PeerToPeerRooms = true; break;
        case "--max-message-size": options.MaxAppMessageSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--max-concurrent": options.MaxConcurrentConversations = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--relay-log": options.RelayLogCapacity = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--quiet": quiet = true; break;
        case "--help" or "-h":
            Console.WriteLine("Tavus CVI emulator. Options: --port N (default 5123, 0 = any), --scenario file.json, --api-key KEY, --batch, --peer-to-peer (P2P rooms: app messages over WebRTC data channels), --max-message-size N, --max-concurrent N, --relay-log N (kept relay entries, 0 = none), --quiet");
            return 0;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]} (see --help)");
            return 2;
    }
}

using ILoggerFactory loggerFactory = LoggerFactory.Create(logging =>
{
    logging.AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss.fff "; });
    logging.SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information);
    // Relayed payloads are logged at Trace (house rule); the program shows them unless --quiet.
    logging.AddFilter("Tavus.Cvi.Emulator.Relay", quiet ? LogLevel.Warning : LogLevel.Trace);
});
options.LoggerFactory = loggerFactory;

await using CviEmulator emulator = await CviEmulator.StartAsync(options);
Console.WriteLine($"Tavus CVI emulator listening on {emulator.BaseUri}");
Console.WriteLine($"  Tavus REST base : {emulator.TavusApiBaseUri}  (POST/GET {emulator.TavusApiBaseUri}v2/conversations)");
Console.WriteLine($"  API key         : {emulator.ApiKey}");
Console.WriteLine($"  Daily lookup    : POST {emulator.BaseUri}rooms/check/tavus/{{conversation_id}}");
Console.WriteLine($"  Rooms           : {emulator.BaseUri}tavus/{{conversation_id}}");
Console.WriteLine("Press Ctrl+C to stop.");

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnSignal(PosixSignalContext context)
{
    // Stop gracefully (dispose the emulator, flush webhooks) instead of the runtime's immediate exit.
    context.Cancel = true;
    stop.TrySetResult();
}

using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
await stop.Task;
Console.WriteLine("Stopping.");
return 0;

using System.Text.Json.Serialization;

namespace Tavus.Cvi.Emulator.Replica;

/// <summary>Source-generated JSON metadata for the few values the replica serializes itself.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class ReplicaJsonContext : JsonSerializerContext;

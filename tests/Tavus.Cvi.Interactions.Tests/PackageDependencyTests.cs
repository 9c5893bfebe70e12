using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Tests;

/// <summary>
/// Issue 2: "The library depends on System.Text.Json and Microsoft.Extensions.Logging.Abstractions and nothing
/// heavier." Peer-to-peer rooms reach WebRTC (and BouncyCastle) only through the separate
/// Tavus.Cvi.Interactions.WebRtc assembly.
/// </summary>
public class PackageDependencyTests
{
    [Fact]
    public void The_core_assembly_references_only_the_framework_and_logging_abstractions()
    {
        var references = typeof(DailyTransport).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().NotBeEmpty();
        references.Should().NotContain(n => n.StartsWith("Tavus.Cvi.WebRtc", StringComparison.Ordinal)
            || n.Contains("BouncyCastle", StringComparison.OrdinalIgnoreCase));
        references.Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard")
            .Should().BeSubsetOf(["Microsoft.Extensions.Logging.Abstractions"]);
    }
}

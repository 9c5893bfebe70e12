using System.Reflection;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// How the Daily transport identifies itself to Daily: the <c>aboutClient</c> object of the room lookup and of
/// <c>join-for-sig</c> (daily-protocol.md §3, §4.3).
/// </summary>
/// <remarks>
/// The default is honest: <c>{"library":"tavus-cvi-dotnet","version":"&lt;assembly version&gt;"}</c>. Daily answers with
/// a <c>clientSupportState</c> and may treat a library it does not know as unsupported; an application may override
/// the identification, but claiming to be another client (such as <c>daily-js</c>) misinforms Daily's support checks
/// and may break when that client's real behaviour changes. Prefer the default.
/// </remarks>
/// <param name="Library">The library name Daily sees.</param>
/// <param name="Version">The library version Daily sees.</param>
public sealed record DailyClientInfo(string Library, string Version)
{
    /// <summary>This SDK's own identification.</summary>
    public static DailyClientInfo Default { get; } = new("tavus-cvi-dotnet", ReadVersion());

    private static string ReadVersion()
    {
        var assembly = typeof(DailyClientInfo).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            // Strip the source-revision suffix ("+<commit>") the SDK appends.
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}

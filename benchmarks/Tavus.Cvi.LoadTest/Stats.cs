using System.Globalization;

namespace Tavus.Cvi.LoadTest;

/// <summary>Percentiles over a set of samples (nearest-rank).</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> sortedSamples, double percentile)
    {
        if (sortedSamples.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sortedSamples.Count);
        return sortedSamples[Math.Clamp(rank - 1, 0, sortedSamples.Count - 1)];
    }

    public static string Ms(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}

using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Value equality for members that hold raw JSON, so that records compare by content: two decodes of the same message
// are equal, as are a message and its re-encoding. JsonElement's own Equals compares document positions, and
// dictionaries compare by reference. Hash codes leave these members out (equal values still hash equal).
internal static class JsonEquality
{
    public static bool ElementEquals(JsonElement left, JsonElement right) =>
        left.ValueKind == JsonValueKind.Undefined || right.ValueKind == JsonValueKind.Undefined
            ? left.ValueKind == right.ValueKind
            : JsonElement.DeepEquals(left, right);

    // null and empty are the same: both mean "nothing kept".
    public static bool DictionaryEquals(IReadOnlyDictionary<string, JsonElement>? left, IReadOnlyDictionary<string, JsonElement>? right)
    {
        var leftCount = left?.Count ?? 0;
        if (leftCount != (right?.Count ?? 0))
        {
            return false;
        }

        if (leftCount == 0 || ReferenceEquals(left, right))
        {
            return true;
        }

        foreach (var (key, value) in left!)
        {
            if (!right!.TryGetValue(key, out var other) || !ElementEquals(value, other))
            {
                return false;
            }
        }

        return true;
    }

    public static bool DictionaryEquals(IDictionary<string, JsonElement>? left, IDictionary<string, JsonElement>? right)
    {
        var leftCount = left?.Count ?? 0;
        if (leftCount != (right?.Count ?? 0))
        {
            return false;
        }

        if (leftCount == 0 || ReferenceEquals(left, right))
        {
            return true;
        }

        foreach (var (key, value) in left!)
        {
            if (!right!.TryGetValue(key, out var other) || !ElementEquals(value, other))
            {
                return false;
            }
        }

        return true;
    }

    public static bool SequenceEquals<T>(IReadOnlyList<T>? left, IReadOnlyList<T>? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }
}

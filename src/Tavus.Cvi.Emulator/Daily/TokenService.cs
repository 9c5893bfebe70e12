using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tavus.Cvi.Emulator.Daily;

/// <summary>
/// Issues and checks the emulator's credentials: Daily meeting tokens (HS256 JWTs whose claims use Daily's short
/// keys, daily-protocol.md §3 <c>joinProps</c>) and <c>sigAuthz</c> values bound to one room and one session id.
/// Both are signed with a per-process random key, so a token from another emulator is rejected.
/// </summary>
internal sealed class TokenService
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;

    public TokenService(TimeProvider time) => _time = time;

    public string IssueSigAuthz(string room, string sessionId)
    {
        var payload = new JsonObject
        {
            ["r"] = room,
            ["s"] = sessionId,
            ["exp"] = _time.GetUtcNow().AddHours(4).ToUnixTimeSeconds(),
            ["n"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)),
        };
        string body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return "sa." + body + "." + Sign("sa." + body);
    }

    public bool ValidateSigAuthz(string? token, string room, string sessionId)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        string[] parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != "sa" || !FixedTimeEquals(Sign("sa." + parts[1]), parts[2]))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            JsonElement root = doc.RootElement;
            return root.GetProperty("r").GetString() == room
                && root.GetProperty("s").GetString() == sessionId
                && root.GetProperty("exp").GetInt64() > _time.GetUtcNow().ToUnixTimeSeconds();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Creates a meeting token for <paramref name="room"/> (claims: <c>r</c>, <c>u</c>, <c>ud</c>, <c>o</c>, <c>d</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>).</summary>
    public string IssueMeetingToken(string domain, string room, string? userName, string? userId, bool isOwner, TimeSpan lifetime)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["r"] = room,
            ["d"] = domain,
            ["o"] = isOwner,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        };
        if (userName is not null)
        {
            claims["u"] = userName;
        }

        if (userId is not null)
        {
            claims["ud"] = userId;
        }

        string header = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        string body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        return header + "." + body + "." + Sign(header + "." + body);
    }

    /// <summary>Checks a meeting token for <paramref name="room"/>; on success returns its claims.</summary>
    public MeetingTokenCheck CheckMeetingToken(string token, string room)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            return new MeetingTokenCheck(null, "malformed meeting token");
        }

        JsonObject? claims;
        try
        {
            claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return new MeetingTokenCheck(null, "malformed meeting token");
        }

        if (claims is null)
        {
            return new MeetingTokenCheck(null, "malformed meeting token");
        }

        if (!FixedTimeEquals(Sign(parts[0] + "." + parts[1]), parts[2]))
        {
            return new MeetingTokenCheck(null, "meeting token signature invalid");
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (claims["r"]?.GetValue<string>() is { } r && r != room)
        {
            return new MeetingTokenCheck(null, "meeting token is for another room");
        }

        if (claims["nbf"] is JsonValue nbf && nbf.GetValue<long>() > now)
        {
            return new MeetingTokenCheck(null, "meeting token not yet valid");
        }

        if (claims["exp"] is JsonValue exp && exp.GetValue<long>() <= now)
        {
            return new MeetingTokenCheck(null, "meeting token expired");
        }

        return new MeetingTokenCheck(claims, null);
    }

    private string Sign(string text) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}

/// <summary>The outcome of a meeting-token check: the claims, or why the token is ignored.</summary>
internal readonly record struct MeetingTokenCheck(JsonObject? Claims, string? Error);

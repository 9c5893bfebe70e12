using Microsoft.Extensions.Time.Testing;

namespace Tavus.Cvi.Emulator.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created on it, so a test can wait until the emulator
/// has armed a timer (a delay, a deadline) before advancing the clock, instead of sleeping.
/// </summary>
internal sealed class ObservableFakeTime : TimeProvider
{
    private readonly FakeTimeProvider _fake = new(DateTimeOffset.UtcNow);
    private int _created;

    public int TimersCreated => Volatile.Read(ref _created);

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = _fake.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _created);
        return timer;
    }

    public void Advance(TimeSpan delta) => _fake.Advance(delta);
}

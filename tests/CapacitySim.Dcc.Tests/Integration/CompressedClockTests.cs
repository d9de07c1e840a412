using CapacitySim.Devices.Time;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>The compressed clock the integration runs use: timers re-armed in scenario time fire in compressed real time.</summary>
public class CompressedClockTests
{
    [Fact]
    public async Task A_timer_re_armed_with_Change_waits_the_compressed_interval()
    {
        // ×10000: the DCC's 30 s deadline is 3 ms of real time; uncompressed it would be 30 s, far past the wait below.
        var clock = new CompressedTimeProvider(10_000, Integration.ScenarioStart);
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = clock.CreateTimer(_ => fired.TrySetResult(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan));

        var first = await Task.WhenAny(fired.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(fired.Task, first);
    }
}

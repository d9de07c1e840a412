using CapacitySim.Devices.Time;

namespace CapacitySim.Devices.Tests.Time;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("250ms", 0, 0, 0, 250)]
    [InlineData("30s", 0, 0, 30, 0)]
    [InlineData("5m", 0, 5, 0, 0)]
    [InlineData("1h", 1, 0, 0, 0)]
    [InlineData("1h30m", 1, 30, 0, 0)]
    [InlineData("2m30s", 0, 2, 30, 0)]
    [InlineData("1.5s", 0, 0, 1, 500)]
    [InlineData("0s", 0, 0, 0, 0)]
    [InlineData(" 24h ", 24, 0, 0, 0)]
    public void Durations_with_units_parse(string text, int h, int m, int s, int ms)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(new TimeSpan(0, h, m, s, ms), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("30 s")]
    [InlineData("-5s")]
    [InlineData("5x")]
    [InlineData("s")]
    [InlineData("1.2.3s")]
    [InlineData("5S")]
    [InlineData("1d")]
    public void Durations_without_a_known_unit_or_negative_do_not_parse(string text)
        => Assert.False(DurationText.TryParse(text, out _));

    [Theory]
    [InlineData("30s")]
    [InlineData("1h30m")]
    [InlineData("250ms")]
    [InlineData("2h2m35s")]
    [InlineData("1m1.5s")]
    [InlineData("0s")]
    public void Formatting_round_trips(string text)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(text, DurationText.Format(value));
    }

    [Theory]
    [InlineData("9d", 9, 0, 0)]
    [InlineData("1d12h", 1, 12, 0)]
    [InlineData("2d30m", 2, 0, 30)]
    [InlineData("0.5d", 0, 12, 0)]
    public void Days_parse_where_they_are_allowed(string text, int d, int h, int m)
    {
        Assert.True(DurationText.TryParse(text, out var value, allowDays: true));
        Assert.Equal(new TimeSpan(d, h, m, 0), value);
    }

    [Fact]
    public void Days_do_not_parse_where_they_are_not_allowed()
    {
        Assert.False(DurationText.TryParse("9d", out _));
        Assert.False(DurationText.TryParse("1h1d", out _));
    }
}

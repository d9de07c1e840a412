using CapacitySim.Load.Results;

namespace CapacitySim.Load.Tests.ResultFolder;

public class ResultFileNamesTests
{
    [Theory]
    [InlineData("smoke", "smoke")]
    [InlineData("peak-day_2", "peak-day_2")]
    [InlineData("on demand, alerts/DCC", "on-demand--alerts-DCC")]
    [InlineData("météo.yaml", "m-t-o-yaml")]
    [InlineData("", "")]
    public void Every_character_outside_ascii_letters_digits_dash_and_underscore_becomes_a_dash(string name, string expected)
        => Assert.Equal(expected, ResultFileNames.Safe(name));

    [Fact]
    public void A_category_log_is_named_from_the_safe_category_name()
        => Assert.Equal("latency-non-device-read.hlog", HistogramLogFiles.FileNameFor("non device/read"));
}

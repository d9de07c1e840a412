using CapacitySim.Dcc.Capacity;
using CapacitySim.Dcc.Host;
using CapacitySim.Dcc.Simulation;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>The operator's emergency controls over HTTP: switched on, listed, audited and lifted on a running DCC.</summary>
public sealed class EmergencyControlEndpointTests
{
    [Fact]
    public async Task An_operator_sheds_lists_and_lifts_controls_over_HTTP()
    {
        await using var dcc = new SimulatedDcc(Integration.Options(new Uri("http://127.0.0.1:9/unused")));
        await using var server = await DccHttpServer.StartAsync(
            new DccHttpServerOptions { Port = 0, ExposeMetrics = false, MapAdditionalEndpoints = e => EmergencyControlEndpoints.Map(e, dcc.Capacity) },
            dcc);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var shed = await client.PostAsync(new Uri("/dcc/controls/shed?class=on-demand-reads&reason=CSP%20North%20degraded", UriKind.Relative), null);
        var shedText = await shed.Content.ReadAsStringAsync();
        Assert.True(shed.IsSuccessStatusCode, shedText);
        Assert.StartsWith("on #", shedText, StringComparison.Ordinal);
        var control = Assert.Single(dcc.Capacity.ActiveControls);
        Assert.Equal(EmergencyAction.Shed, control.Action);
        Assert.True(control.Selector.ReadsOnly);
        Assert.Equal("CSP North degraded", control.Reason);

        using var defer = await client.PostAsync(new Uri("/dcc/controls/defer?srv=6.15.1&region=north", UriKind.Relative), null);
        Assert.True(defer.IsSuccessStatusCode, await defer.Content.ReadAsStringAsync());
        Assert.Equal(2, dcc.Capacity.ActiveControls.Count);

        var listing = await client.GetStringAsync(new Uri("/dcc/controls", UriKind.Relative));
        Assert.Contains($"#{control.Id} shed", listing, StringComparison.Ordinal);
        Assert.Contains("defer", listing, StringComparison.Ordinal);

        using var lift = await client.PostAsync(new Uri($"/dcc/controls/lift?id={control.Id}", UriKind.Relative), null);
        Assert.True(lift.IsSuccessStatusCode, await lift.Content.ReadAsStringAsync());
        Assert.DoesNotContain(dcc.Capacity.ActiveControls, c => c.Id == control.Id);
        Assert.Contains(dcc.Capacity.AuditLog, entry => entry.Control.Id == control.Id && !entry.SwitchedOn);

        using var again = await client.PostAsync(new Uri($"/dcc/controls/lift?id={control.Id}", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [InlineData("/dcc/controls/shed?class=everything", "class=everything")]
    [InlineData("/dcc/controls/shed?srv=4.99", "srv=4.99")]
    [InlineData("/dcc/controls/shed?class=on-demand&srv=4.1.1", "exactly one")]
    [InlineData("/dcc/controls/shed?alert=8F01&code=I0", "code=I0")]
    [InlineData("/dcc/controls/defer?alert=8F01&region=west", "region=west")]
    [InlineData("/dcc/controls/lift?id=x", "id=N")]
    public async Task A_bad_control_request_is_refused_with_the_reason(string path, string expected)
    {
        await using var dcc = new SimulatedDcc(Integration.Options(new Uri("http://127.0.0.1:9/unused")));
        await using var server = await DccHttpServer.StartAsync(
            new DccHttpServerOptions { Port = 0, ExposeMetrics = false, MapAdditionalEndpoints = e => EmergencyControlEndpoints.Map(e, dcc.Capacity) },
            dcc);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(dcc.Capacity.ActiveControls);
    }
}

using CapacitySim.Dcc.Tests.Integration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Hostile;

/// <summary>
/// One DCC on loopback (signatures checked, schema validated on every request, metrics served) that the hostile-input
/// tests share, and the check each of them ends with: the DCC still accepts a valid signed request.
/// </summary>
public sealed class HostileRig : IAsyncLifetime
{
    private long counter = 7_000_000;

    internal DccRig Rig { get; private set; } = null!;

    internal UserEndpoint Endpoint { get; private set; } = null!;

    internal Uri BaseAddress => Rig.Server.BaseAddress;

    public ulong NextCounter() => (ulong)Interlocked.Increment(ref counter);

    /// <summary>A signed 4.1.1 read for the reference premises' electricity meter, with a counter not used before.</summary>
    internal byte[] ValidRequest()
        => Sign(Build("4.1.1", new RequestId(Supplier, ReferencePremises.ElectricityMeter, NextCounter())), Supplier);

    /// <summary>Asserts the DCC is alive and serving: a valid request is acknowledged with I99.</summary>
    internal async Task AssertStillServingAsync()
    {
        var answer = await Rig.PostAsync(DuisWebService.SendCommand, ValidRequest());

        Assert.True(answer.Status == 200, $"a valid request got HTTP {answer.Status}: {Text(answer.Body)}");
        Assert.Equal(ResponseCodes.Acknowledged, answer.Header.ResponseCode);
    }

    public async Task InitializeAsync()
    {
        Endpoint = await UserEndpoint.StartAsync();
        Rig = await DccRig.StartAsync(Options(Endpoint.Address, schemaSampleInterval: 1), Endpoint, exposeMetrics: true);
    }

    public async Task DisposeAsync()
    {
        await Rig.DisposeAsync();
        await Endpoint.DisposeAsync();
    }
}

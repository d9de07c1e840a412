using CapacitySim.Dcc.Tests.Integration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Hostile;

/// <summary>
/// The shared validation DCC made as strict as <c>capacitysim dcc</c> with the DUIS material (every request validated
/// against the schema) and serving its metrics, for the hostile-input tests; and the check each of them ends with: the
/// DCC still accepts a valid signed request.
/// </summary>
public sealed class HostileRig : ValidationRig
{
    internal Uri BaseAddress => Rig.Server.BaseAddress;

    protected override int SchemaSampleInterval => 1;

    protected override bool ExposeMetrics => true;

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
}

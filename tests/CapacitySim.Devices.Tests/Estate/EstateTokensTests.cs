using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Tests.Estate;

public sealed class EstateTokensTests
{
    [Fact]
    public void Every_device_type_region_generation_and_status_has_a_word_that_reads_back_as_itself()
    {
        // The device types a premises can hold; DeviceType also names request targets (the DCC, any HAN device) that no estate file names.
        DeviceType[] estateTypes =
        [
            DeviceType.ElectricityMeter, DeviceType.GasMeter, DeviceType.CommunicationsHub, DeviceType.GasProxy,
            DeviceType.Ppmid, DeviceType.Hcalcs, DeviceType.InHomeDisplay,
        ];
        foreach (var type in estateTypes)
        {
            Assert.Equal(type, EstateTokens.DeviceTypes.Parse(EstateTokens.DeviceTypes.Token(type)));
        }

        foreach (var region in Enum.GetValues<CspRegion>())
        {
            Assert.Equal(region, EstateTokens.Regions.Parse(EstateTokens.Regions.Token(region)));
        }

        foreach (var generation in Enum.GetValues<DeviceGeneration>())
        {
            Assert.Equal(generation, EstateTokens.Generations.Parse(EstateTokens.Generations.Token(generation)));
        }

        foreach (var status in Enum.GetValues<DeviceStatus>())
        {
            Assert.Equal(status, EstateTokens.Statuses.Parse(EstateTokens.Statuses.Token(status)));
        }
    }

    [Fact]
    public void Estate_files_take_the_words_as_listed_while_csv_scenario_and_behaviour_files_take_any_case()
    {
        Assert.Equal("esme, gsme, chf, gpf, ppmid, hcalcs, ihd", EstateTokens.DeviceTypes.Names);
        Assert.Null(EstateTokens.DeviceTypes.Parse("ESME"));
        Assert.Equal(DeviceType.ElectricityMeter, EstateTokens.DeviceTypes.ParseIgnoringCase("ESME"));
        Assert.Equal(CspRegion.North, EstateTokens.Regions.ParseIgnoringCase("North"));
        Assert.Null(EstateTokens.Regions.ParseIgnoringCase("1"));
        Assert.Null(EstateTokens.Regions.ParseIgnoringCase("Midlands"));
    }
}

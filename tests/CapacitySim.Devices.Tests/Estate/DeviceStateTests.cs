using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Tests.Estate;

public sealed class DeviceStateTests
{
    private static readonly Population Estate = PopulationBuilder.Build(EstateFixture.Spec("default.yaml").With(premises: 2000));

    [Fact]
    public void Import_registers_advance_at_the_premises_rate_without_any_update()
    {
        var state = Estate.State;
        var epoch = state.Epoch;
        var checkedMeters = 0;
        for (var p = 1; p < Estate.PremisesCount; p++)
        {
            var esme = Estate.FindInPremises(p, DeviceType.ElectricityMeter);
            var rate = state.ElectricityRateWhPerHour(p);
            Assert.InRange(rate, 2700 * 0.5 * 1000 / 8766 - 1, 2700 * 1.5 * 1000 / 8766 + 1);
            var opening = state.ReadImportRegisterWh(esme, epoch);
            Assert.True(opening > 0);
            Assert.Equal(opening + (10L * rate), state.ReadImportRegisterWh(esme, epoch.AddHours(10)));
            Assert.Equal(opening + (365L * 24 * rate), state.ReadImportRegisterWh(esme, epoch.AddDays(365)));
            Assert.Equal(opening, state.ReadImportRegisterWh(esme, epoch.AddDays(-3)));
            checkedMeters++;

            var gsme = Estate.FindInPremises(p, DeviceType.GasMeter);
            if (gsme >= 0)
            {
                var gasRate = state.GasRateWhPerHour(p);
                Assert.True(gasRate > rate / 2);
                var at = epoch.AddDays(17.25);
                Assert.Equal(state.ReadImportRegisterWh(gsme, epoch) + (gasRate * (long)(17.25 * 24 * 3600) / 3600), state.ReadImportRegisterWh(gsme, at));

                // The gas proxy holds the gas meter's readings.
                var gpf = Estate.FindInPremises(p, DeviceType.GasProxy);
                Assert.Equal(state.ReadImportRegisterWh(gsme, at), state.ReadImportRegisterWh(gpf, at));
            }
            else
            {
                Assert.Equal(0, state.GasRateWhPerHour(p));
            }

            var hub = Estate.FindInPremises(p, DeviceType.CommunicationsHub);
            Assert.False(state.HasRegisters(hub));
            Assert.Equal(0, state.ReadImportRegisterWh(hub, epoch.AddDays(1)));
        }

        Assert.Equal(Estate.PremisesCount - 1, checkedMeters);
    }

    [Fact]
    public void Export_registers_run_only_at_exporting_premises_and_advance_with_time()
    {
        var state = Estate.State;
        var exporting = 0;
        for (var p = 1; p < Estate.PremisesCount; p++)
        {
            var esme = Estate.FindInPremises(p, DeviceType.ElectricityMeter);
            var rate = state.ExportRateWhPerHour(p);
            var day0 = state.ReadExportRegisterWh(esme, state.Epoch);
            var day1 = state.ReadExportRegisterWh(esme, state.Epoch.AddDays(1));
            if (rate == 0)
            {
                Assert.Equal(0, day0);
                Assert.Equal(0, day1);
                continue;
            }

            exporting++;
            Assert.Equal(day0 + (24L * rate), day1);
        }

        PopulationBuilderTests.AssertShare(0.05, exporting, Estate.PremisesCount - 1, "exporting premises");
    }

    [Fact]
    public void Prepayment_meters_open_with_credit_and_some_debt_and_credit_meters_with_neither()
    {
        var state = Estate.State;
        int prepay = 0, inDebt = 0;
        for (var p = 1; p < Estate.PremisesCount; p++)
        {
            var kind = Estate.PremisesKinds[Estate.PremisesKindIds[p]];
            var esme = Estate.FindInPremises(p, DeviceType.ElectricityMeter);
            Assert.Equal(kind.Payment, state.GetPaymentMode(esme));
            Assert.Equal(SupplyStatus.Enabled, state.GetSupplyStatus(esme));
            Assert.Equal(1, state.GetTariff(esme));
            if (kind.Payment == PaymentMode.Prepayment)
            {
                prepay++;
                Assert.InRange(state.GetCreditBalancePence(esme), 0, 4000);
                inDebt += state.GetDebtPence(esme) > 0 ? 1 : 0;
                Assert.True(Estate.FindInPremises(p, DeviceType.Ppmid) >= 0);
            }
            else
            {
                Assert.Equal(0, state.GetCreditBalancePence(esme));
                Assert.Equal(0, state.GetDebtPence(esme));
            }
        }

        Assert.True(prepay > 100);
        Assert.InRange(inDebt, 1, prepay / 3);
    }

    [Fact]
    public void Requests_change_supply_tariff_credit_credentials_han_membership_and_status()
    {
        var estate = PopulationBuilder.Build(EstateFixture.Spec("default.yaml").With(premises: 50));
        var state = estate.State;
        var esme = estate.FindInPremises(3, DeviceType.ElectricityMeter);
        var before = estate.Fingerprint();

        state.SetSupplyStatus(esme, SupplyStatus.Armed);
        Assert.Equal(SupplyStatus.Armed, state.GetSupplyStatus(esme));
        state.SetTariff(esme, 42);
        Assert.Equal(42, state.GetTariff(esme));
        state.SetPaymentMode(esme, PaymentMode.Prepayment);
        state.SetCreditBalancePence(esme, 500);
        Assert.Equal(1500, state.AddCreditPence(esme, 1000));
        Parallel.For(0, 1000, _ => state.AddCreditPence(esme, 1));
        Assert.Equal(2500, state.GetCreditBalancePence(esme));
        state.SetDebtPence(esme, 777);
        Assert.Equal(777, state.GetDebtPence(esme));

        Assert.Equal(0, state.GetCredentialsGeneration(esme));
        Assert.Equal(1, state.ReplaceCredentials(esme));
        Assert.Equal(1, state.GetCredentialsGeneration(esme));

        var hub = estate.FindInPremises(3, DeviceType.CommunicationsHub);
        var ihd = estate.FindInPremises(3, DeviceType.InHomeDisplay);
        var han = ihd >= 0 ? ihd : hub;
        Assert.True(state.IsJoinedToHan(han));
        state.SetJoinedToHan(han, false);
        Assert.False(state.IsJoinedToHan(han));

        estate.SetStatus(esme, DeviceStatus.Suspended);
        Assert.Equal(DeviceStatus.Suspended, estate.Get(esme).Status);
        Assert.True(estate.TryFind(estate.EuiOf(esme), out var found));
        Assert.Equal(DeviceStatus.Suspended, found.Status);

        // Changes are part of the estate's state, and touch only the device changed.
        Assert.NotEqual(before, estate.Fingerprint());
        Assert.Equal(SupplyStatus.Enabled, state.GetSupplyStatus(esme + estate.Count / 2));
    }

    [Fact]
    public void State_is_held_in_arrays_counted_in_the_population_bytes()
    {
        Assert.True(Estate.State.Bytes > 0);
        Assert.Equal(Estate.DirectoryBytes + Estate.State.Bytes, Estate.TotalBytes);

        // Per device: import base (4), credit (4), debt (4), tariff (2), supply, payment, credentials, HAN (1 each) = 18 B;
        // per premises: three ushort rates = 6 B.
        Assert.Equal((18L * Estate.Count) + (6L * Estate.PremisesCount), Estate.State.Bytes);
    }
}

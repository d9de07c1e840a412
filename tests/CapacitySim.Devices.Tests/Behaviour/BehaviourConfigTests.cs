using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;
using static CapacitySim.Devices.Tests.Behaviour.BehaviourTestSupport;

namespace CapacitySim.Devices.Tests.Behaviour;

public class BehaviourConfigTests
{
    [Fact]
    public void Every_error_is_reported_at_once_with_its_line_and_column()
    {
        const string Yaml = """
            defaults:
              latency:
                smets2:
                  north: { median: 4s, p95: 2s }
                  central: { median: 3s, p95: 9s }
                  south: { median: fast, p95: 9s }
                smets1:
                  default: { median: 8s, p95: 25s }
              noResponse: 1.5
              alerts:
                - { code: 8G01, device: ESME, perDevicePerDay: 1 }
                - { code: 8F01, device: TOASTER, perDevicePerDay: 1 }
            hubReboot:
              perod: 9d
            powerOutages:
              - { region: Midlands, share: 0.1, start: 1h, duration: 1h }
            """;
        var e = Assert.Throws<ConfigException>(() => BehaviourConfig.Parse(Yaml, "bad.yaml"));
        var errors = e.Errors.Select(x => (x.Line, x.Column)).ToList();

        Assert.Contains((4, 14), errors); // p95 below median (the distribution's mapping)
        Assert.Contains((6, 24), errors); // 'fast' is not a duration
        Assert.Contains((9, 15), errors); // probability above 1
        Assert.Contains((11, 15), errors); // 8G01 is not hex
        Assert.Contains((12, 29), errors); // unknown device type
        Assert.Contains((14, 3), errors); // unknown key 'perod'
        Assert.Contains((16, 15), errors); // unknown region
        Assert.Equal(7, e.Errors.Count);
        Assert.All(e.Errors, x => Assert.Equal("bad.yaml", x.File));
        Assert.Contains("bad.yaml:14:3: unknown key 'perod'", e.Message, StringComparison.Ordinal);
        Assert.Contains(e.Errors, x => x.Message.Contains("'fast' is not a duration", StringComparison.Ordinal));
    }

    [Fact]
    public void Durations_may_join_several_units_or_be_written_as_a_time_span_but_not_as_a_bare_number()
    {
        var config = BehaviourConfig.Parse(BaseYaml + """
            hubReboot:
              period: 1d12h
            powerRestore:
              longOutage: 3m30s
              dccAlertMinimumOutage: 00:04:15
            """, "compound.yaml");
        Assert.Equal(TimeSpan.FromHours(36), config.HubReboot.Period);
        Assert.Equal(TimeSpan.FromSeconds(210), config.PowerRestore.LongOutage);
        Assert.Equal(TimeSpan.FromSeconds(255), config.PowerRestore.DccAlertMinimumOutage);

        var bare = Assert.Throws<ConfigException>(() => BehaviourConfig.Parse(BaseYaml + """
            powerRestore:
              longOutage: 30
            """, "bare.yaml"));
        var error = Assert.Single(bare.Errors);
        Assert.Equal((BaseYaml.Split('\n').Length + 1, 15), (error.Line, error.Column));
        Assert.Contains("'30' is not a duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_defaults_and_yaml_syntax_errors_are_reported_with_positions()
    {
        var missing = Assert.Throws<ConfigException>(() => BehaviourConfig.Parse("""
            defaults:
              latency:
                smets2:
                  north: { median: 4s, p95: 12s }
            """, "partial.yaml"));
        Assert.Contains(missing.Errors, x => x.Message.Contains("region Central", StringComparison.Ordinal) && x.Line == 2);
        Assert.Contains(missing.Errors, x => x.Message.Contains("region South", StringComparison.Ordinal));
        Assert.Contains(missing.Errors, x => x.Message.Contains("smets1.default", StringComparison.Ordinal));

        var syntax = Assert.Throws<ConfigException>(() => BehaviourConfig.Parse("defaults:\n  latency: [1, 2\n", "syntax.yaml"));
        var error = Assert.Single(syntax.Errors);
        Assert.True(error.Line >= 2, error.ToString());
        Assert.StartsWith("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_estate_does_not_have_are_reported_where_they_are_written()
    {
        var config = BehaviourConfig.Parse(BaseYaml + """
            dmcs:
              S1-ESME:
                firmware:
                  "9.9": { noResponse: 0.5 }
              S3-TIMEMACHINE: { noResponse: 0.5 }
            firmwareRollouts:
              - { dmc: S1-GSME, from: "0.1", to: "1.1", share: 1, start: 1d, over: 1d }
            """, "names.yaml");

        var e = Assert.Throws<ConfigException>(() => new BehaviourModel(config, new TestEstate(2), TestEstate.Names, 1, Start));
        var baseLines = BaseYaml.Split('\n').Length - 1;
        Assert.Contains(e.Errors, x => x.Line == baseLines + 4 && x.Column == 7 && x.Message.Contains("'9.9'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Line == baseLines + 5 && x.Column == 3 && x.Message.Contains("S3-TIMEMACHINE", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Line == baseLines + 7 && x.Message.Contains("'0.1'", StringComparison.Ordinal));
        Assert.Equal(3, e.Errors.Count);
    }

    [Fact]
    public void The_shipped_default_behaviour_loads_with_the_values_it_documents()
    {
        var path = Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "behaviour", "default.yaml");
        var config = BehaviourConfig.Load(path);

        Assert.Equal(TimeSpan.FromDays(9), config.HubReboot.Period);
        Assert.Equal(DeviceAlertCode.UnauthorisedCommunicationAccessAttempted, config.HubReboot.AlertCode);
        Assert.Equal(2, config.SmsWakeUp.SmsPerRequest[new ServiceReferenceVariant(4, 10, 0)]);
        Assert.Equal(1, config.SmsWakeUp.DefaultSmsPerRequest);
        Assert.Equal(TimeSpan.FromMinutes(3), config.PowerRestore.LongOutage);
        var join = Assert.Single(config.Dmcs, d => d.Profile.JoinFailure is not null).Profile.JoinFailure!;
        Assert.Equal(0.2, join.Share);
        Assert.Contains(config.Dmcs, d => d.Profile.HubReboots == true);
        Assert.NotEmpty(config.PowerOutages);
        Assert.NotEmpty(config.FirmwareRollouts);

        // Every name it uses binds to an estate that has them (the default estate's names), and it runs.
        var dmcNames = config.Dmcs.Select(d => d.Name).Concat(config.FirmwareRollouts.Select(r => r.Dmc)).Distinct().ToList();
        var firmware = config.Dmcs.SelectMany(d => d.Firmware.Select(f => new EstateFirmware((ushort)dmcNames.IndexOf(d.Name), f.Version)))
            .Concat(config.FirmwareRollouts.Where(r => r.From is not null).Select(r => new EstateFirmware((ushort)dmcNames.IndexOf(r.Dmc), r.From!)))
            .Distinct().ToList();
        var providers = config.Defaults.Latency!.Smets1ServiceProviders.Select((p, i) => new EstateServiceProvider((byte)(i + 1), p.Name)).ToList();
        var model = new BehaviourModel(config, new TestEstate(30), new EstateNames(dmcNames, firmware, providers), 1, Start);
        var events = DrainAll(new EventGenerator(model), Start.AddDays(2));
        Assert.NotEmpty(events);
    }
}

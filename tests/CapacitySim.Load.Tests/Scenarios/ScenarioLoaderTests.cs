using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Load.Scenarios;
using static CapacitySim.Load.Tests.Scenarios.ScenarioText;

namespace CapacitySim.Load.Tests.Scenarios;

public sealed class ScenarioLoaderTests
{
    [Fact]
    public void The_every_shape_example_loads_with_all_its_parts()
    {
        var path = Path.Combine(ExamplesFolder, "every-shape.yaml");
        var s = ScenarioLoader.Load(path);

        Assert.Equal("every-shape example", s.Name);
        Assert.Equal(42UL, s.Seed);
        Assert.Equal(EstateSourceKind.SpecFile, s.Estate.Kind);
        Assert.Equal(Path.GetFullPath(Path.Combine(ScenariosFolder, "estates", "default.yaml")), s.Estate.Path);
        Assert.Equal(500, s.Estate.Spec!.Premises);
        Assert.Equal(7UL, s.Estate.Spec.Seed);
        Assert.Contains("S2-ELEC-LandisE470S2", s.Estate.DmcNames);

        Assert.Equal(2, s.Users.Count);
        var supplier = s.Users[0];
        Assert.Equal(UserRoles.ImportSupplier | UserRoles.GasSupplier, supplier.Roles);
        Assert.Equal(Eui64.Parse("90-B3-D5-1F-30-01-00-00"), supplier.Eui);
        Assert.Equal("xml-sign-90B3D51F30010000-ds", supplier.Key);
        Assert.False(supplier.KeyIsPath);
        Assert.Equal(5, supplier.Mix.Count);
        Assert.Equal(ServiceReferenceVariant.Parse("4.1.1"), supplier.Mix[0].Srv);
        Assert.Equal(CommandVariant.NonCriticalToDevice, supplier.Mix[0].CommandVariant);
        Assert.Equal(CommandVariant.CriticalTransform, supplier.Mix[2].CommandVariant);
        Assert.Equal(CommandVariant.NonDevice, supplier.Mix[3].CommandVariant);
        Assert.Equal(CommandVariant.NonCriticalToDeviceAndLocalDelivery, supplier.Mix[4].CommandVariant);
        Assert.Equal([DeviceType.ElectricityMeter, DeviceType.GasMeter], supplier.Targets.DeviceTypes);
        Assert.Equal([CspRegion.North], s.Users[1].Targets.Regions);
        Assert.True(s.Users[1].Targets.Matches("S2-ELEC-LandisE470S2", DeviceType.ElectricityMeter, CspRegion.North, DeviceGeneration.Smets2));
        Assert.False(s.Users[1].Targets.Matches("S2-ELEC-LandisE470S2", DeviceType.ElectricityMeter, CspRegion.South, DeviceGeneration.Smets2));

        Assert.Equal([PhaseShape.Constant, PhaseShape.Ramping, PhaseShape.Step, PhaseShape.Pause, PhaseShape.Diurnal], s.Phases.Select(p => p.Shape));
        Assert.Equal("baseline", s.Phases[0].Name);
        Assert.Equal(TimeSpan.Parse("02:02:35", System.Globalization.CultureInfo.InvariantCulture), s.Duration);
        Assert.Equal(TimeSpan.FromSeconds(10), s.WarmUp);
        Assert.Equal(100, s.TimeCompression);
        Assert.Equal(7, s.Checks.Count);
        Assert.True(s.Dcc!.Signing);
        Assert.Null(s.Target);
        Assert.Equal(15, s.PerformanceLevels.All.Count);

        // Positions are kept for values, not only for errors: the second mix entry's srv is on line 23, column 16.
        Assert.Equal(new SourcePosition(23, 16), s.PositionOf("users[0].mix[1].srv"));
        Assert.Equal(s.Checks[0].Position, s.PositionOf("checks[0]"));
    }

    [Fact]
    public void The_external_dcc_example_loads_its_devices_csv_and_finds_the_performance_levels_above_it()
    {
        var s = ScenarioLoader.Load(Path.Combine(ExamplesFolder, "external-dcc.yaml"));

        Assert.Equal(EstateSourceKind.DevicesCsv, s.Estate.Kind);
        Assert.Null(s.Estate.Spec);
        Assert.Equal(5, s.Estate.Devices!.Count);
        var quoted = s.Estate.Devices[4];
        Assert.Equal(Eui64.Parse("02-5E-11-00-00-00-00-01"), quoted.Eui);
        Assert.Equal(DeviceGeneration.Smets1, quoted.Generation);
        Assert.Equal(CspRegion.North, quoted.Region);
        Assert.Equal(7, quoted.Line);
        Assert.Equal(UserRoles.ImportSupplier, s.Users[0].Roles);
        Assert.Equal(new Uri("https://dcc.example.test:8079"), s.Target!.Url);
        Assert.False(s.Target.Signing);
        Assert.Equal(Path.Combine(ScenariosFolder, "performance-levels.yaml"), s.PerformanceLevels.Path);
        Assert.Equal(TimeSpan.FromSeconds(20), s.Duration);
        Assert.Equal("external-dcc", Path.GetFileNameWithoutExtension(s.Source));
    }

    [Fact]
    public void The_valid_test_scenario_loads()
    {
        var s = Parse(Valid);
        Assert.Single(s.Users);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Duration);
        Assert.Equal(1UL, s.Seed);
        Assert.Equal(Scenario.DefaultTimeCompression, s.TimeCompression);
    }

    [Fact]
    public void An_unknown_key_near_a_known_one_gets_a_did_you_mean()
    {
        var yaml = Valid + "\ndurtion: 30s\nwhatever: 1\n";
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "durtion", "did you mean 'duration'?");
        ErrorAt(errors, yaml, "whatever", "expected one of name, description");
    }

    [Fact]
    public void An_unknown_key_inside_a_phase_is_named_and_the_missing_one_reported()
    {
        var yaml = Replace(Valid, "{ rate: 10, duration: 30s }", "{ rate: 10, duraton: 30s }");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "duraton", "did you mean 'duration'?");
        ErrorAt(errors, yaml, "{ rate: 10", "Missing key 'duration' in phases[0].constant");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Wrong_types_are_reported_where_they_are()
    {
        var yaml = Replace(Replace(Valid, "rate: 10", "rate: fast"), "premises: 100", "premises: [1, 2]");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "fast", "phases[0].constant.rate 'fast' is not a number");
        ErrorAt(errors, yaml, "[1, 2]", "estate.premises must be a single value, not a list");
    }

    [Fact]
    public void A_list_where_a_mapping_belongs_is_reported()
    {
        var yaml = Replace(Valid, "phases:\n  - constant:", "phases:\n  - - constant:");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "- constant", "phases[0] must be a mapping of keys to values, not a list");
    }

    [Fact]
    public void Negative_rates_and_durations_are_refused()
    {
        var yaml = Replace(Valid, "{ rate: 10, duration: 30s }", "{ rate: -10, duration: -30s }");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "-10", "is negative");
        ErrorAt(errors, yaml, "-30s", "is negative: durations are zero or more");
    }

    [Theory]
    [InlineData("30", "not a duration")]
    [InlineData("30 seconds", "not a duration")]
    [InlineData("5x", "not a duration")]
    [InlineData("0s", "is zero")]
    public void Bad_durations_are_refused(string text, string message)
    {
        var yaml = Replace(Valid, "duration: 30s", $"duration: {text}");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, text + " }", message);
    }

    [Fact]
    public void An_srv_outside_the_duis_catalogue_is_refused()
    {
        var yaml = Replace(Valid, "srv: 1.5,", "srv: 4.99,");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "4.99", "'4.99' is not a Service Reference Variant of the DUIS v5.4 catalogue");
        Assert.Single(errors);
    }

    [Fact]
    public void An_srv_the_users_roles_may_not_send_is_refused_with_the_eligible_roles()
    {
        // 1.5 Update Meter Balance is for import and gas suppliers only; a network operator may read registers.
        var yaml = Replace(Valid, "roles: [IS, GS]", "roles: [ED]");
        var errors = Errors(yaml);
        var e = ErrorAt(errors, yaml, "1.5", "none of the user's roles (ED) may send it; eligible roles are IS, GS");
        Assert.Contains("additionalServices", e.Message, StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Fact]
    public void AdditionalServices_authorise_a_variant_the_matrix_names_no_role_for()
    {
        // 7.16 Limit APC Level: the DUIS matrix names no eligible role, so only a listed authorisation allows it.
        var refused = Replace(Valid, "srv: 1.5,", "srv: 7.16,");
        ErrorAt(Errors(refused), refused, "7.16", "eligible roles are none");

        var allowed = Replace(refused, "    mix:", "    additionalServices: [\"7.16\"]\n    mix:");
        var s = Parse(allowed);
        Assert.Equal([ServiceReferenceVariant.Parse("7.16")], s.Users[0].AdditionalServices);
    }

    [Fact]
    public void A_command_variant_the_srv_does_not_allow_is_refused()
    {
        var yaml = Replace(Valid, "{ srv: 4.1.1, weight: 3 }", "{ srv: 4.1.1, weight: 3, commandVariant: 5 }");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "5 }", "commandVariant 5 is not allowed for 4.1.1 Read Instantaneous Import Registers (allowed: 1, 2, 3)");
    }

    [Fact]
    public void Weights_that_add_up_to_zero_are_refused()
    {
        var yaml = Replace(Replace(Valid, "weight: 3", "weight: 0"), "weight: 1", "weight: 0");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "- { srv: 4.1.1", "users[0].mix weights add up to 0");
        Assert.Single(errors);
    }

    [Fact]
    public void An_unknown_dmc_is_checked_against_the_estate_spec()
    {
        var yaml = Replace(Valid, "dmcs: [S2-ELEC-LandisE470S2]", "dmcs: [S2-ELEC-LandisE470S2, S2-ELEC-LandisE470S3, Nonsense]");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "S2-ELEC-LandisE470S3", "did you mean 'S2-ELEC-LandisE470S2'?");
        ErrorAt(errors, yaml, "Nonsense", "Unknown DMC 'Nonsense'");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Missing_files_are_reported_at_the_key_that_names_them()
    {
        var yaml = Replace(Valid, "spec: ../estates/default.yaml", "spec: ../estates/nope.yaml") + "\nperformanceLevels: nope-levels.yaml\n";
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "../estates/nope.yaml", "estate.spec: file '../estates/nope.yaml' not found");
        ErrorAt(errors, yaml, "nope-levels.yaml", "performanceLevels: file 'nope-levels.yaml' not found");
    }

    [Fact]
    public void A_missing_scenario_file_is_one_error_naming_it()
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(Path.Combine(ExamplesFolder, "no-such.yaml")));
        var error = Assert.Single(e.Errors);
        Assert.Equal(0, error.Line);
        Assert.EndsWith("no-such.yaml: Scenario file not found.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Several_mistakes_are_all_reported_in_file_order()
    {
        var yaml = Replace(Replace(Replace(Replace(Valid,
            "premises: 100", "premises: lots"),
            "eui: 90-B3-D5-1F-30-01-00-00", "eui: 90-B3-D5"),
            "weight: 3", "weight: -3"),
            "p99(on_demand) < 30s", "p99(on_demand) < 30");
        var errors = Errors(yaml);

        Assert.Equal(4, errors.Count);
        Assert.All(errors, e => Assert.Equal(Source, e.File));
        ErrorAt(errors, yaml, "lots", "not a whole number");
        ErrorAt(errors, yaml, "90-B3-D5\n", "is not an EUI-64");
        ErrorAt(errors, yaml, "-3", "is negative");
        Assert.Equal(errors.OrderBy(e => e.Line).ThenBy(e => e.Column), errors);
    }

    [Fact]
    public void A_bad_check_is_reported_at_the_offending_character_with_its_column_in_the_check()
    {
        var yaml = Valid + "\n  - within_trt(on_demnd) >= 99%\n  - \"errors < 0.1x\"\n";
        var errors = Errors(yaml);

        var unknown = ErrorAt(errors, yaml, "on_demnd", "Unknown category 'on_demnd': did you mean 'on_demand'?");
        Assert.Contains("(column 12 of the check)", unknown.Message, StringComparison.Ordinal);
        // Quoted: the check starts after the quote, so 'x' (column 13 of the check) is one column further right.
        var unit = ErrorAt(errors, yaml, "x\"", "'x' is not a unit for a count");
        Assert.Contains("(column 13 of the check)", unit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duration_that_disagrees_with_the_phases_is_refused_and_a_warm_up_longer_than_the_run_too()
    {
        var yaml = Valid + "\nduration: 1m\nwarmUp: 30s\n";
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "1m\n", "duration 1m differs from the phases' total 30s");
        ErrorAt(errors, yaml, "30s\n", "nothing would be measured", occurrence: 2);
    }

    [Fact]
    public void Dcc_and_target_together_are_refused_and_target_urls_checked()
    {
        var yaml = Valid + "\ndcc: { signing: false }\ntarget: { url: ftp://x, listen: nowhere }\n";
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "{ url", "not both");
        ErrorAt(errors, yaml, "ftp://x", "not an http:// or https:// address");
        ErrorAt(errors, yaml, "nowhere", "not an http:// or https:// address");
    }

    [Fact]
    public void Target_tls_reads_paths_relative_to_the_scenario_and_names_each_mistake_at_its_line()
    {
        // The reader checks only that the files exist (the run reads the certificates): any file beside the scenario does.
        var yaml = Valid + "\ntarget:\n  url: https://dcc.test:8079\n  listen: https://0.0.0.0:8443/r\n  tls:\n"
            + "    clientCert: devices.csv\n    clientKeyPassword: secret\n    caCert: ../performance-levels.yaml\n"
            + "    listenCert: every-shape.yaml\n    listenMutualTls: true\n";
        var tls = Parse(yaml).Target!.Tls!;
        Assert.Equal(Path.Combine(ExamplesFolder, "devices.csv"), tls.ClientCert);
        Assert.Equal("secret", tls.ClientKeyPassword);
        Assert.Equal(Path.GetFullPath(Path.Combine(ScenariosFolder, "performance-levels.yaml")), tls.CaCert);
        Assert.Equal(Path.Combine(ExamplesFolder, "every-shape.yaml"), tls.ListenCert);
        Assert.True(tls.ListenMutualTls);
        Assert.Null(tls.ClientKey);
        Assert.Null(tls.ListenCa);

        yaml = Valid + "\ntarget:\n  url: https://dcc.test:8079\n  tls:\n    clientKey: devices.csv\n    caCert: missing-ca.pem\n"
            + "    listenMutualTls: maybe\n    insecure: true\n";
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "devices.csv", "target.tls.clientKey belongs to target.tls.clientCert, which is not given");
        ErrorAt(errors, yaml, "missing-ca.pem", "target.tls.caCert: file 'missing-ca.pem' not found");
        ErrorAt(errors, yaml, "maybe", "target.tls.listenMutualTls");
        ErrorAt(errors, yaml, "insecure", "Unknown key 'insecure' in target.tls");
    }

    [Fact]
    public void Users_need_unique_names_and_euis_and_known_roles()
    {
        var second = "\n  - name: supplier\n    roles: [IS, XX]\n    eui: 90-B3-D5-1F-30-01-00-00\n    mix: [{ srv: 4.1.1, weight: 1 }]\n";
        var yaml = Replace(Valid, "\nphases:", second + "phases:");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "XX", "'XX' in users[1].roles is not a DUIS user role");
        Assert.Single(errors);

        yaml = Replace(yaml, "[IS, XX]", "[IS]");
        errors = Errors(yaml);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("the name 'supplier' is also users[0]'s", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("EUI 90-B3-D5-1F-30-01-00-00 is also users[0]'s", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_phase_shape_reads_with_its_settings()
    {
        var yaml = Replace(Valid, "  - constant: { rate: 10, duration: 30s }", """
              - ramping: { name: up, from: 0, to: 100, duration: 1m }
              - step: { rates: [1, 2, 3], stepDuration: 250ms }
              - pause: { duration: 1h30m }
              - diurnal:
                  hourlyRates: { "00:00": 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 3, 8: 4, 9: 4, 10: 4, 11: 4, 12: 4, 13: 4, 14: 4, 15: 4, 16: 5, 17: 6, 18: 6, 19: 5, 20: 4, 21: 3, 22: 2, "23": 1 }
                  startHour: 6
            """);
        var s = Parse(yaml);

        var ramp = Assert.IsType<RampingPhase>(s.Phases[0]);
        Assert.Equal(("up", 0.0, 100.0, TimeSpan.FromMinutes(1)), (ramp.Name, ramp.From, ramp.To, ramp.Duration));
        var step = Assert.IsType<StepPhase>(s.Phases[1]);
        Assert.Equal([1.0, 2, 3], step.Rates);
        Assert.Equal(TimeSpan.FromMilliseconds(750), step.Duration);
        Assert.Equal(TimeSpan.FromMinutes(90), s.Phases[2].Duration);
        var day = Assert.IsType<DiurnalPhase>(s.Phases[3]);
        Assert.Equal(TimeSpan.FromHours(24), day.Duration);
        Assert.Equal(6, day.StartHour);
        Assert.Equal(1.0, day.Scale);
        Assert.Equal(2.0, day.HourlyRates[6]);
        Assert.Equal(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(750) + TimeSpan.FromMinutes(90) + TimeSpan.FromHours(24), s.Duration);
    }

    [Fact]
    public void Phase_shape_mistakes_are_each_reported()
    {
        var yaml = Replace(Valid, "  - constant: { rate: 10, duration: 30s }", """
              - constant: { rate: 1, duration: 1s }
                pause: { duration: 1s }
              - steady: { rate: 1 }
              - step: { rates: [], stepDuration: 1s }
              - diurnal: { hourlyRates: [1, 2, 3], scale: 0 }
              - diurnal: { hourlyRates: { 0: 1, 25: 1 } }
            """);
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "constant: { rate: 1,", "must have exactly one key naming its shape");
        ErrorAt(errors, yaml, "steady", "Unknown key 'steady' in phases[1] (expected one of constant, ramping, step, diurnal, pause)");
        ErrorAt(errors, yaml, "[]", "phases[2].step.rates is empty");
        ErrorAt(errors, yaml, "[1, 2, 3]", "has 3 rates: a day needs 24");
        ErrorAt(errors, yaml, "0 }", "phases[3].diurnal.scale 0 is zero: it must be more than 0");
        ErrorAt(errors, yaml, "25", "'25' in phases[4].diurnal.hourlyRates is not an hour of the day");
    }

    [Fact]
    public void An_inline_estate_is_read_in_place_and_its_errors_point_into_the_scenario()
    {
        var inline = File.ReadAllText(Path.Combine(ScenariosFolder, "estates", "default.yaml"))
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => "    " + l);
        var good = Replace(Valid, "  spec: ../estates/default.yaml\n  premises: 100", "  inline:\n" + string.Join('\n', inline) + "\n  premises: 50");
        var s = Parse(good);
        Assert.Equal(EstateSourceKind.Inline, s.Estate.Kind);
        Assert.Null(s.Estate.Path);
        Assert.Equal(50, s.Estate.Spec!.Premises);

        var bad = Replace(Replace(good, "premises: 10000", "premises: -4"), "north: 30", "nord: 30");
        var errors = Errors(bad);
        ErrorAt(errors, bad, "-4", "Premises");
        ErrorAt(errors, bad, "nord", "nord");
        Assert.All(errors, e => Assert.Equal(Source, e.File));
    }

    [Fact]
    public void Errors_in_a_named_estate_spec_are_reported_in_that_file()
    {
        var folder = Directory.CreateTempSubdirectory("capacitysim-scenario-");
        try
        {
            var spec = File.ReadAllText(Path.Combine(ScenariosFolder, "estates", "default.yaml")).Replace("\r\n", "\n", StringComparison.Ordinal);
            var badSpec = Replace(spec, "premises: 10000", "premisses: 10000");
            File.WriteAllText(Path.Combine(folder.FullName, "estate.yaml"), badSpec);
            var yaml = Replace(Valid, "spec: ../estates/default.yaml", "spec: estate.yaml")
                + $"\nperformanceLevels: {Path.Combine(ScenariosFolder, "performance-levels.yaml")}\n";

            var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(yaml, Source, folder.FullName));

            var (line, column) = At(badSpec, "premisses");
            Assert.Contains(e.Errors, x => x.File == Path.Combine(folder.FullName, "estate.yaml") && x.Line == line && x.Column == column);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Devices_csv_mistakes_are_reported_with_their_csv_line_and_column()
    {
        var folder = Directory.CreateTempSubdirectory("capacitysim-scenario-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "devices.csv"), """
                eui,deviceType,generation,dmc,region
                00-DB-12-34-56-78-90-A1,esme,smets2,ACME-ESME-1,central
                00-DB-12-34-56-78-90-ZZ,meter,smets3,ACME-ESME-1,west
                00-DB-12-34-56-78-90-A1,esme,smets2,,central
                00-DB-12-34-56-78-90-A2,esme
                """);
            File.Copy(Path.Combine(ScenariosFolder, "performance-levels.yaml"), Path.Combine(folder.FullName, "performance-levels.yaml"));
            var yaml = Replace(Replace(Valid, "spec: ../estates/default.yaml\n  premises: 100", "devicesCsv: devices.csv"), "S2-ELEC-LandisE470S2", "ACME-ESME-2");

            var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(yaml, Source, folder.FullName));

            var csv = Path.Combine(folder.FullName, "devices.csv");
            string[] expected =
            [
                $"{csv}:3:1: '00-DB-12-34-56-78-90-ZZ' is not an EUI-64",
                $"{csv}:3:25: 'meter' is not a device type",
                $"{csv}:3:31: 'smets3' is not a generation",
                $"{csv}:3:50: 'west' is not a CSP region",
                $"{csv}:4:1: Device 00-DB-12-34-56-78-90-A1 is listed twice (first on line 2)",
                $"{csv}:4:37: The DMC is empty",
                $"{csv}:5:1: Expected 5 fields",
            ];
            var lines = e.Errors.Select(x => x.ToString()).ToList();
            Assert.Equal(expected.Length, lines.Count);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.StartsWith(expected[i], lines[i], StringComparison.Ordinal);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_devices_csv_estate_checks_dmc_names_against_the_csv()
    {
        var yaml = Replace(Replace(Valid, "spec: ../estates/default.yaml\n  premises: 100", "devicesCsv: devices.csv"), "S2-ELEC-LandisE470S2", "ACME-ESME-2");
        var errors = Errors(yaml);
        ErrorAt(errors, yaml, "ACME-ESME-2", "did you mean 'ACME-ESME-1'?");
        Assert.Single(errors);
    }

    [Fact]
    public void A_yaml_syntax_error_is_reported_with_its_position()
    {
        var yaml = "name: test\nusers: [unclosed\n";
        var error = Assert.Single(Errors(yaml));
        Assert.Contains("YAML syntax", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2);
    }
}

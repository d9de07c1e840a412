using CapacitySim.Dcc.Users;
using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Validation;

public class UsersFileTests
{
    [Fact]
    public void Default_users_file_holds_the_sample_originators_with_their_roles()
    {
        var users = DefaultUsers();

        Assert.True(users.TryFind(Supplier, out var supplier));
        Assert.Equal(UserRoles.ImportSupplier | UserRoles.ExportSupplier | UserRoles.GasSupplier | UserRoles.OtherUser, supplier.Roles);
        Assert.Equal("xml-sign-90B3D51F30010000-ds", supplier.CertificateStem);
        Assert.Equal([ServiceReferenceVariant.Parse("8.5"), ServiceReferenceVariant.Parse("8.6")], supplier.AdditionalServices);
        Assert.True(users.TryFind(NetworkOperator, out var networkOperator));
        Assert.Equal(UserRoles.ElectricityDistributor | UserRoles.GasTransporter, networkOperator.Roles);
        Assert.True(users.TryFind(Eui64.Parse("90-B3-D5-1F-30-03-00-00"), out var second));
        Assert.Null(second.CertificateStem);
        Assert.True(users.TryFind(Eui64.Parse("00-DB-12-34-56-78-00-04"), out var otherUser));
        Assert.Equal(UserRoles.OtherUser, otherUser.Roles);
        Assert.True(users.TryFind(Eui64.Parse("90-B3-D5-1F-30-00-00-02"), out var dcc));
        Assert.Equal(UserRoles.ImportSupplier | UserRoles.GasSupplier, dcc.Roles);
        Assert.All(users.All, u => Assert.Equal(UserStatus.Active, u.Status));
        Assert.Equal(6, users.Count);
    }

    [Fact]
    public void One_response_url_replaces_every_users_endpoint()
    {
        var url = new Uri("http://127.0.0.1:9999/duis/receive");

        var users = DefaultUsers().WithResponseEndpoint(url);

        Assert.All(users.All, u => Assert.Equal(url, u.ResponseEndpoint));
        Assert.True(users.TryFind(Supplier, out var supplier));
        Assert.Equal(0, supplier.Index);
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_its_position()
    {
        var yaml = """
            users:
              - name: first
                eui: 90-B3-D5-1F-30-01-00-0
                roles: [IS, XX]
                status: paused
                responseEndpoint: ftp://example/r
                certificate: no-such-stem
                additionalServices: ["99.1"]
                colour: blue
              - eui: 90-B3-D5-1F-30-02-00-00
                roles: [ED]
                responseEndpoint: http://localhost/r
              - name: duplicate
                eui: 90-B3-D5-1F-30-02-00-00
                roles: [GT]
                responseEndpoint: http://localhost/r
            """;

        var ex = Assert.Throws<ConfigException>(() => UsersFile.Parse(new StringReader(yaml), "bad.yaml", Keys));

        Assert.Contains(ex.Errors, e => e.Line == 3 && e.Column == 10 && e.Message.Contains("EUI-64", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 4 && e.Message.Contains("'XX'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 5 && e.Message.Contains("paused", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 6 && e.Message.Contains("ftp://", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 7 && e.Message.Contains("no-such-stem", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 8 && e.Message.Contains("99.1", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 9 && e.Message.Contains("colour", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 10 && e.Message.Contains("Missing 'name'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 14 && e.Message.Contains("already used by the user at line 10", StringComparison.Ordinal));
        Assert.Equal(9, ex.Errors.Count);
        Assert.All(ex.Errors, e => Assert.Equal("bad.yaml", e.File));
        Assert.Contains("bad.yaml:3:10:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void YAML_syntax_error_is_reported_with_its_position()
    {
        var ex = Assert.Throws<ConfigException>(() => UsersFile.Parse(new StringReader("users:\n  - name: [unclosed\n"), "broken.yaml"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("broken.yaml", error.File);
        Assert.True(error.Line >= 2, error.ToString());
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => UsersFile.Load("/nonexistent/users.yaml"));
        Assert.Contains("/nonexistent/users.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lookup_by_EUI_allocates_nothing()
    {
        var users = DefaultUsers();
        var unknown = Eui64.Parse("90-B3-D5-1F-30-09-00-00");
        users.TryFind(Supplier, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = 0;
        for (var i = 0; i < 1000; i++)
        {
            found += users.TryFind(i % 2 == 0 ? Supplier : unknown, out _) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(500, found);
    }
}

public class ServiceDeviceTypesTests
{
    [Fact]
    public void Every_catalogue_variant_has_at_least_one_device_type()
    {
        foreach (var info in ServiceCatalogue.All)
        {
            Assert.False(ServiceDeviceTypes.For(info.Variant).IsEmpty, info.ToString());
        }
    }

    [Fact]
    public void Non_device_requests_target_only_the_DCC()
    {
        foreach (var info in ServiceCatalogue.All)
        {
            Assert.Equal(info.NonDevice, ServiceDeviceTypes.IsCompatible(info.Variant, DeviceType.Dcc));
            if (info.NonDevice)
            {
                Assert.Equal(DeviceTypeSet.Of(DeviceType.Dcc), ServiceDeviceTypes.For(info.Variant));
            }
        }
    }

    [Theory]
    [InlineData("4.1.1", DeviceType.ElectricityMeter, true)]
    [InlineData("4.1.1", DeviceType.GasProxy, true)] // gas reads may go to the GPF
    [InlineData("4.1.1", DeviceType.GasMeter, true)]
    [InlineData("4.1.1", DeviceType.Ppmid, false)]
    [InlineData("4.1.3", DeviceType.GasMeter, false)] // IS and ED only: electricity
    [InlineData("4.1.4", DeviceType.GasMeter, true)]
    [InlineData("4.1.4", DeviceType.ElectricityMeter, false)]
    [InlineData("6.28", DeviceType.CommunicationsHub, true)]
    [InlineData("6.28", DeviceType.ElectricityMeter, false)]
    [InlineData("11.2", DeviceType.Ppmid, true)] // any HAN device
    [InlineData("11.2", DeviceType.InHomeDisplay, false)]
    [InlineData("6.15.1", DeviceType.CommunicationsHub, true)] // credential holders
    [InlineData("8.7.2", DeviceType.Ppmid, true)] // join
    [InlineData("6.14.3", DeviceType.Hcalcs, true)] // auxiliary controller
    [InlineData("7.1", DeviceType.Hcalcs, false)] // supply enable is for meters
    [InlineData("1.1.2", DeviceType.GasMeter, false)] // secondary element: IS only, electricity tariff body
    [InlineData("4.17", DeviceType.ElectricityMeter, true)] // IS and ED are eligible: electricity as well as gas
    [InlineData("8.9", DeviceType.CommunicationsHub, true)] // the hub's device log
    [InlineData("8.9", DeviceType.GasMeter, true)] // a gas supplier's read of a gas device's log
    [InlineData("8.12.2", DeviceType.GasProxy, true)] // the body names the GPF
    [InlineData("8.12.2", DeviceType.CommunicationsHub, false)]
    [InlineData("6.28", DeviceType.GasMeter, false)] // the body names the CHF, whatever the roles
    [InlineData("7.16", DeviceType.ElectricityMeter, true)] // no eligible role; auxiliary controller content
    [InlineData("7.16", DeviceType.Hcalcs, true)]
    [InlineData("7.16", DeviceType.GasMeter, false)]
    [InlineData("9.1", DeviceType.GasMeter, true)] // OU only: no fuel of its own, both meters
    [InlineData("9.1", DeviceType.ElectricityMeter, true)]
    public void Device_type_rules(string srv, DeviceType type, bool compatible)
        => Assert.Equal(compatible, ServiceDeviceTypes.IsCompatible(ServiceReferenceVariant.Parse(srv), type));
}

using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Signing;

/// <summary>Loading DUIS keys and finding certificates the way KeyInfo names them.</summary>
public sealed class KeyStoreTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("capacitysim-keys-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Supplier_identity_loads_with_issuer_and_serial_as_the_samples_write_them()
    {
        using var identity = SigningIdentity.Load(SharedDuis.Keys, SigningFixture.SupplierStem);
        Assert.Equal("CN=Z1,OU=07", identity.IssuerName);
        Assert.Equal("27572613927499351639968579586655397031", identity.SerialNumber);
        Assert.Equal(256, identity.PrivateKey.KeySize);
    }

    [Fact]
    public void Every_certificate_of_the_shared_folder_loads_and_every_key_matches_its_certificate()
    {
        var store = SigningFixture.Store;
        Assert.Equal(19, store.Certificates.Count); // 20 .pem files, one of them a PEM private key
        foreach (var c in store.Certificates)
        {
            Assert.Equal("CN=Z1,OU=07", c.IssuerName);
            Assert.True(store.TryFind(c.IssuerName, c.SerialNumber, out var found));
            Assert.Same(c, found);
            if (c.KeyPath is not null)
            {
                using var identity = SigningIdentity.Load(SharedDuis.Keys, c.Stem);
                Assert.Equal(c.SerialNumber, identity.SerialNumber);
            }
        }
    }

    [Theory]
    [InlineData("CN=Z1,OU=07")]
    [InlineData("CN=Z1, OU=07")]
    [InlineData(" cn = z1 ; ou=07 ")]
    [InlineData("2.5.4.3=Z1,OU=\"07\"")]
    public void Issuer_is_compared_as_a_distinguished_name(string issuer)
    {
        Assert.True(SigningFixture.Store.TryFind(issuer, "50669612984035780968362471400449834504", out var c));
        Assert.Equal(SigningFixture.DspPreStem, c.Stem);
        Assert.True(SigningFixture.Store.TryFind(issuer, "0050669612984035780968362471400449834504", out _));
    }

    [Theory]
    [InlineData("CN=Z2,OU=07", "50669612984035780968362471400449834504")]
    [InlineData("OU=07,CN=Z1", "50669612984035780968362471400449834504")]
    [InlineData("CN=Z1,OU=07", "50669612984035780968362471400449834505")]
    [InlineData("CN=Z1,OU=07", "0x261E9CCC40A78FD13D83BCE07DACFE08")]
    [InlineData("not a name", "50669612984035780968362471400449834504")]
    public void Other_issuers_or_serials_find_nothing(string issuer, string serial) =>
        Assert.False(SigningFixture.Store.TryFind(issuer, serial, out _));

    [Fact]
    public void Certificates_belong_to_the_eui_their_file_name_or_subject_names()
    {
        var store = SigningFixture.Store;
        var supplier = store.ForEui(Eui64.Parse("90-B3-D5-1F-30-01-00-00"));
        Assert.Equal(SigningFixture.SupplierStem, supplier[0].Stem);
        Assert.Contains(supplier, c => c.Stem == "Z1-supplier-ds");
        var dsp = store.ForEui(Eui64.Parse("90-B3-D5-1F-30-00-00-02"));
        Assert.Equal(SigningFixture.DspStem, dsp[0].Stem);
        Assert.Equal(SigningFixture.DspPreStem, dsp[1].Stem);
        Assert.Contains(dsp, c => c.Stem == "Z1-accessControlBroker-ds");
        Assert.Equal(Eui64.Parse("90-B3-D5-1F-30-02-00-00"), store.ForEui(Eui64.Parse("90-B3-D5-1F-30-02-00-00"))[0].Eui);
        Assert.Equal(Eui64.Parse("90-B3-D5-1F-30-00-00-07"), Assert.Single(
            store.Certificates, c => c.Stem == "Z1-wanProvider-ds").Eui);
        Assert.Equal(SigningFixture.DspStem, store.IdentityFor(Eui64.Parse("90-B3-D5-1F-30-00-00-02")).Name);
        Assert.Empty(store.ForEui(Eui64.Parse("01-02-03-04-05-06-07-08")));
        Assert.Throws<KeyNotFoundException>(() => store.IdentityFor(Eui64.Parse("01-02-03-04-05-06-07-08")));
    }

    [Fact]
    public void Missing_files_name_the_file()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SigningIdentity.Load(SharedDuis.Keys, "xml-sign-0000000000000000-ds"));
        Assert.Contains("xml-sign-0000000000000000-ds.pem", e.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => DuisKeyStore.Load(Path.Combine(temp, "absent")));
    }

    [Fact]
    public void Wrong_files_give_the_file_and_the_reason()
    {
        File.Copy(Path.Combine(SharedDuis.Keys, SigningFixture.SupplierStem + ".pem"), Path.Combine(temp, "a.pem"));
        File.WriteAllBytes(Path.Combine(temp, "a.key"), [0x30, 0x03, 0x02, 0x01, 0x00]);
        var e = Assert.Throws<InvalidDataException>(() => SigningIdentity.Load(temp, "a"));
        Assert.Contains(Path.Combine(temp, "a.key"), e.Message, StringComparison.Ordinal);
        Assert.Contains("PKCS#8", e.Message, StringComparison.Ordinal);

        File.Copy(Path.Combine(SharedDuis.Keys, SigningFixture.DspStem + ".key"), Path.Combine(temp, "a.key"), overwrite: true);
        e = Assert.Throws<InvalidDataException>(() => SigningIdentity.Load(temp, "a"));
        Assert.Contains("does not match the certificate", e.Message, StringComparison.Ordinal);

        File.Copy(Path.Combine(SharedDuis.Keys, SigningFixture.DspStem + ".key"), Path.Combine(temp, "b.pem"));
        e = Assert.Throws<InvalidDataException>(() => DuisKeyStore.Load(temp));
        Assert.Contains(Path.Combine(temp, "b.pem"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pem_private_keys_beside_certificates_are_not_taken_for_certificates()
    {
        foreach (var f in new[] { SigningFixture.DspStem + ".pem", SigningFixture.DspStem + ".key", SigningFixture.DspStem + ".key.pem" })
        {
            File.Copy(Path.Combine(SharedDuis.Keys, f), Path.Combine(temp, f));
        }

        var store = DuisKeyStore.Load(temp);
        Assert.Equal(SigningFixture.DspStem, Assert.Single(store.Certificates).Stem);
        Assert.NotNull(store.Identity(SigningFixture.DspStem));
    }

    [Fact]
    public void Rfc2253_form_puts_the_last_rdn_first_without_spaces()
    {
        using var identity = SigningIdentity.Load(SharedDuis.Keys, "Z1-supplier-ds");
        Assert.Equal("CN=Z1,OU=07", DistinguishedNames.FormatRfc2253(identity.Certificate.IssuerName));
        Assert.Equal("2.5.4.45=#03090090b3d51f30010000,OU=02,CN=GITTESTSUPPLIER", DistinguishedNames.FormatRfc2253(identity.Certificate.SubjectName));
        Assert.True(DistinguishedNames.AreEquivalent("CN=A\\, B,OU=07", "cn=a\\2c b, ou=07"));
        Assert.False(DistinguishedNames.AreEquivalent("CN=A,OU=07", "CN=A+OU=07"));
        Assert.True(DistinguishedNames.TryGetSubjectEui(identity.Certificate.SubjectName, out var eui));
        Assert.Equal("90-B3-D5-1F-30-01-00-00", eui.ToString());
        Assert.False(DistinguishedNames.TryGetSubjectEui(identity.Certificate.IssuerName, out _));
    }
}

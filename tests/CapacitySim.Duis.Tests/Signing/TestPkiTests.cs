using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;

namespace CapacitySim.Duis.Tests.Signing;

/// <summary>The generated test PKI used when no DUIS material is given.</summary>
public sealed class TestPkiTests : IDisposable
{
    private static readonly Eui64[] Users = [Eui64.Parse("90-B3-D5-1F-30-01-00-00"), Eui64.Parse("90-B3-D5-1F-30-02-00-00")];
    private readonly string temp = Directory.CreateTempSubdirectory("capacitysim-pki-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Creates_the_duis_keys_layout_with_deterministic_names()
    {
        var pki = TestPki.Ensure(temp, Users);
        var names = Directory.GetFiles(temp).Select(Path.GetFileName).Where(n => n != ".lock").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[]
            {
                "capacitysim-test-ca.key", "capacitysim-test-ca.pem",
                "dsp-xml-sign-90B3D51F30000002-ds.key", "dsp-xml-sign-90B3D51F30000002-ds.pem",
                "s1sp-xml-sign-90B3D51F30000010-ds.key", "s1sp-xml-sign-90B3D51F30000010-ds.pem",
                "xml-sign-90B3D51F30010000-ds.key", "xml-sign-90B3D51F30010000-ds.pem",
                "xml-sign-90B3D51F30020000-ds.key", "xml-sign-90B3D51F30020000-ds.pem",
            },
            names);
        Assert.Equal(TestPki.CaName, pki.Dsp.IssuerName);
        Assert.Equal(TestPki.DspEui, pki.Store.ForEui(TestPki.DspEui)[0].Eui);
        Assert.True(DistinguishedNames.TryGetSubjectEui(pki.User(Users[1]).Certificate.SubjectName, out var eui));
        Assert.Equal(Users[1], eui);
    }

    [Fact]
    public void Is_created_once_and_reused_and_extended()
    {
        var first = TestPki.Ensure(temp, Users.Take(1));
        var thumbprint = first.Dsp.Certificate.Thumbprint;
        var second = TestPki.Ensure(temp, Users);
        Assert.Equal(thumbprint, second.Dsp.Certificate.Thumbprint);
        Assert.Equal(first.User(Users[0]).Certificate.Thumbprint, second.User(Users[0]).Certificate.Thumbprint);
        Assert.Equal(TestPki.CaName, second.User(Users[1]).IssuerName);
        Assert.Throws<FileNotFoundException>(() => first.User(Eui64.Parse("01-02-03-04-05-06-07-08")));
    }

    [Fact]
    public void Concurrent_creation_gives_one_consistent_pki()
    {
        Parallel.For(0, 4, _ => TestPki.Ensure(temp, Users));
        var pki = TestPki.Ensure(temp, Users);
        foreach (var c in pki.Store.Certificates)
        {
            Assert.NotNull(pki.Store.Identity(c.Stem));
        }

        Assert.Equal(5, pki.Store.Certificates.Count);
    }

    [Fact]
    public void Certificates_chain_to_the_ca()
    {
        var pki = TestPki.Ensure(temp, Users);
        Assert.True(pki.Store.TryFindByStem(TestPki.CaStem, out var ca));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(pki.User(Users[0]).Certificate));
        Assert.True(chain.Build(pki.Smets1ServiceProvider.Certificate));
    }

    [Fact]
    public void Identities_sign_and_verify()
    {
        var pki = TestPki.Ensure(temp, Users);
        using var fast = new FastEnvelopedVerifier(pki.Store);
        var general = new DuisSignatureVerifier(pki.Store);
        foreach (var identity in new[] { pki.Dsp, pki.Smets1ServiceProvider, pki.User(Users[0]) })
        {
            var output = new ArrayBufferWriter<byte>();
            new FastEnvelopedSigner(identity).WriteSigned(SigningFixture.CanonicalResponse, output);
            var signed = output.WrittenSpan.ToArray();
            Assert.Equal(SignatureVerificationResult.Valid, fast.Verify(signed));
            Assert.Equal(SignatureVerificationResult.Valid, general.Verify(signed));
            Assert.True(SigningFixture.SignedXmlVerifies(signed, identity.Certificate.GetECDsaPublicKey()!));

            // Keys of another PKI do not vouch for it.
            Assert.Equal(SignatureVerificationResult.UnknownCertificate, general.Verify(SignedBy(SigningFixture.Store.Identity(SigningFixture.SupplierStem))));
        }
    }

    private static byte[] SignedBy(SigningIdentity identity)
    {
        var output = new ArrayBufferWriter<byte>();
        new FastEnvelopedSigner(identity).WriteSigned(SigningFixture.CanonicalRequest, output);
        return output.WrittenSpan.ToArray();
    }
}

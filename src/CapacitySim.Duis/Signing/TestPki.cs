using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// CapacitySim's own test PKI, for runs without DUIS material: a CA, the DCC's (DSP) signing key, a SMETS1 service
/// provider key and one key per simulated user EUI, written once into a cache folder in the DUIS keys layout
/// (<c>{stem}.pem</c> certificate, <c>{stem}.key</c> DER PKCS#8 key) so <see cref="DuisKeyStore"/> reads it like
/// DCC Boxed's keys, and reused by later runs.
/// </summary>
public sealed class TestPki
{
    /// <summary>File stem of the CA.</summary>
    public const string CaStem = "capacitysim-test-ca";

    /// <summary>The CA's subject (and the issuer of every other certificate): <c>CN=CapacitySim Test CA,OU=07</c>.</summary>
    public const string CaName = "CN=CapacitySim Test CA,OU=07";

    /// <summary>The DCC's (DSP's) EUI-64, as DUIS uses it.</summary>
    public static readonly Eui64 DspEui = new(0x90B3D51F30000002);

    /// <summary>
    /// The EUI-64 given to the simulated SMETS1 service provider when none is chosen (a simulator convention, not a
    /// DCC-assigned identifier).
    /// </summary>
    public static readonly Eui64 DefaultSmets1ServiceProviderEui = new(0x90B3D51F30000010);

    // Remote party role codes carried as OU in DUIS certificate subjects, as the ZAZ1 certificates do.
    private const string XmlSigningRole = "87";
    private const string DspXmlSigningRole = "89";
    private const string CaRole = "07";
    private const string UniqueIdentifierOid = "2.5.4.45";
    private const string OrganizationalUnitOid = "2.5.4.11";

    private static readonly Lock ProcessLock = new();

    private TestPki(string directory, Eui64 smets1ServiceProviderEui)
    {
        Directory = directory;
        Smets1ServiceProviderEui = smets1ServiceProviderEui;
        Store = DuisKeyStore.Load(directory);
    }

    /// <summary>
    /// The default cache folder: <c>$XDG_CACHE_HOME/capacitysim/pki</c> when set, else
    /// <c>{LocalApplicationData}/capacitysim/pki</c>, else <c>~/.cache/capacitysim/pki</c>.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrWhiteSpace(xdg))
            {
                return Path.Combine(xdg, "capacitysim", "pki");
            }

            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(local))
            {
                local = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }

            return Path.Combine(local, "capacitysim", "pki");
        }
    }

    /// <summary>The folder the PKI lives in.</summary>
    public string Directory { get; }

    /// <summary>The PKI's certificates and keys.</summary>
    public DuisKeyStore Store { get; }

    /// <summary>The SMETS1 service provider's EUI-64.</summary>
    public Eui64 Smets1ServiceProviderEui { get; }

    /// <summary>The DCC's (DSP's) signing identity.</summary>
    public SigningIdentity Dsp => Store.Identity(StemFor(DspEui, dsp: true));

    /// <summary>The SMETS1 service provider's signing identity.</summary>
    public SigningIdentity Smets1ServiceProvider => Store.Identity(Smets1Stem(Smets1ServiceProviderEui));

    /// <summary>The file stem of a user's (or the DSP's) XML signing key, named as DCC Boxed names them.</summary>
    public static string StemFor(Eui64 eui, bool dsp = false) =>
        (dsp ? "dsp-xml-sign-" : "xml-sign-") + eui.Value.ToString("X16", System.Globalization.CultureInfo.InvariantCulture) + "-ds";

    /// <summary>A user's signing identity.</summary>
    /// <exception cref="FileNotFoundException">The PKI was not created with this EUI.</exception>
    public SigningIdentity User(Eui64 eui) => Store.Identity(StemFor(eui));

    /// <summary>
    /// Opens the PKI in <paramref name="directory"/> (default <see cref="DefaultDirectory"/>), creating whatever of
    /// the CA, DSP, SMETS1 service provider and user keys is missing. Files are written to a temporary name and
    /// moved into place under a lock file, so concurrent runs neither clash nor see half-written keys.
    /// </summary>
    public static TestPki Ensure(string? directory, IEnumerable<Eui64> userEuis, Eui64? smets1ServiceProviderEui = null)
    {
        ArgumentNullException.ThrowIfNull(userEuis);
        var dir = Path.GetFullPath(string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory);
        var s1sp = smets1ServiceProviderEui ?? DefaultSmets1ServiceProviderEui;
        System.IO.Directory.CreateDirectory(dir);
        lock (ProcessLock)
        {
            using (AcquireFileLock(dir))
            {
                var (caKey, caName) = EnsureCa(dir);
                using (caKey)
                {
                    EnsureLeaf(dir, StemFor(DspEui, dsp: true), DspEui, DspXmlSigningRole, caKey, caName);
                    EnsureLeaf(dir, Smets1Stem(s1sp), s1sp, XmlSigningRole, caKey, caName);
                    foreach (var eui in userEuis)
                    {
                        EnsureLeaf(dir, StemFor(eui), eui, XmlSigningRole, caKey, caName);
                    }
                }
            }
        }

        return new TestPki(dir, s1sp);
    }

    private static string Smets1Stem(Eui64 eui) =>
        "s1sp-xml-sign-" + eui.Value.ToString("X16", System.Globalization.CultureInfo.InvariantCulture) + "-ds";

    private static (ECDsa Key, X500DistinguishedName Name) EnsureCa(string dir)
    {
        var certPath = Path.Combine(dir, CaStem + ".pem");
        var keyPath = Path.Combine(dir, CaStem + ".key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            using var existing = SigningIdentity.Load(dir, CaStem);
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(existing.PrivateKey.ExportPkcs8PrivateKey(), out _);
            return (key, existing.Certificate.SubjectName);
        }

        var builder = new X500DistinguishedNameBuilder();
        // The builder writes the last added RDN first; DER order is OU then CN, as in the ZAZ1 issuer.
        builder.Add("2.5.4.3", "CapacitySim Test CA", UniversalTagNumber.PrintableString);
        builder.Add(OrganizationalUnitOid, CaRole, UniversalTagNumber.PrintableString);
        var name = builder.Build();
        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.Create(name, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddYears(25), NewSerial());
        WritePair(dir, CaStem, ca, caKey);
        return (caKey, name);
    }

    private static void EnsureLeaf(string dir, string stem, Eui64 eui, string role, ECDsa caKey, X500DistinguishedName caName)
    {
        if (File.Exists(Path.Combine(dir, stem + ".pem")) && File.Exists(Path.Combine(dir, stem + ".key")))
        {
            return;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(LeafSubject(eui, role), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.Create(caName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddYears(10), NewSerial());
        WritePair(dir, stem, cert, key);
    }

    // DUIS certificate subjects: OU = remote party role code, x500UniqueIdentifier = the EUI-64 as a BIT STRING.
    private static X500DistinguishedName LeafSubject(Eui64 eui, string role)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(OrganizationalUnitOid);
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, role);
            }

            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(UniqueIdentifierOid);
                Span<byte> octets = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(octets, eui.Value);
                writer.WriteBitString(octets);
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10);
        return serial;
    }

    // Key first, certificate last: a stem counts as present only when its certificate is, and both are moved into
    // place whole.
    private static void WritePair(string dir, string stem, X509Certificate2 certificate, ECDsa key)
    {
        WriteAtomically(Path.Combine(dir, stem + ".key"), key.ExportPkcs8PrivateKey());
        WriteAtomically(Path.Combine(dir, stem + ".pem"), System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"));
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    private static FileStream AcquireFileLock(string dir)
    {
        var path = Path.Combine(dir, ".lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                // Another process is creating keys in the same folder: wait for it, then reuse what it wrote.
                Thread.Sleep(100);
            }
        }
    }
}

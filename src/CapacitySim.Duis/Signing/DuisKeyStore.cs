using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Signing;

/// <summary>One certificate of a DUIS keys folder, with what DUIS needs to find it.</summary>
public sealed class DuisCertificate
{
    private ECDsa? publicKey;

    internal DuisCertificate(string stem, string certificatePath, X509Certificate2 certificate, Eui64? eui)
    {
        Stem = stem;
        CertificatePath = certificatePath;
        Certificate = certificate;
        IssuerName = DistinguishedNames.FormatRfc2253(certificate.IssuerName);
        SerialNumber = SigningIdentity.DecimalSerial(certificate);
        Eui = eui;
        var keyPath = Path.ChangeExtension(certificatePath, ".key");
        KeyPath = File.Exists(keyPath) ? keyPath : null;
    }

    /// <summary>The file stem (file name without <c>.pem</c>).</summary>
    public string Stem { get; }

    /// <summary>The certificate file.</summary>
    public string CertificatePath { get; }

    /// <summary>The private key file beside it (<c>{stem}.key</c>), or null when the folder holds only the certificate.</summary>
    public string? KeyPath { get; }

    /// <summary>The certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The issuer in RFC 2253 form, as <c>X509IssuerName</c> carries it.</summary>
    public string IssuerName { get; }

    /// <summary>The serial number in decimal.</summary>
    public string SerialNumber { get; }

    /// <summary>The EUI-64 the certificate belongs to, from the file name or else the subject's x500UniqueIdentifier.</summary>
    public Eui64? Eui { get; }

    /// <summary>The certificate's EC public key (created once).</summary>
    public ECDsa PublicKey => publicKey ??= Certificate.GetECDsaPublicKey()
        ?? throw new InvalidDataException($"{CertificatePath}: the certificate holds no EC public key.");

    /// <inheritdoc />
    public override string ToString() => $"{Stem} ({IssuerName}, {SerialNumber}{(Eui is { } e ? ", " + e : string.Empty)})";
}

/// <summary>
/// The certificates of a DUIS keys folder (<c>.pem</c> certificates, <c>.key</c> DER PKCS#8 private keys; DCC Boxed's
/// layout, which <see cref="TestPki"/> also writes): findable by issuer and serial as <c>X509IssuerSerial</c> names
/// them, by file stem, and by the EUI-64 they sign for.
/// </summary>
public sealed class DuisKeyStore
{
    private readonly Dictionary<string, DuisCertificate> byIssuerSerial = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DuisCertificate> byStem = new(StringComparer.Ordinal);
    private readonly Dictionary<Eui64, List<DuisCertificate>> byEui = [];
    private readonly ConcurrentDictionary<string, SigningIdentity> identities = new(StringComparer.Ordinal);
    private readonly List<DuisCertificate> certificates = [];

    private DuisKeyStore(string directory) => Directory = directory;

    /// <summary>The keys folder.</summary>
    public string Directory { get; }

    /// <summary>Every certificate, in file name order.</summary>
    public IReadOnlyList<DuisCertificate> Certificates => certificates;

    /// <summary>
    /// Reads every <c>*.pem</c> certificate of a keys folder (PEM private keys named <c>*.key.pem</c> are skipped).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A certificate file cannot be read (the message names it).</exception>
    public static DuisKeyStore Load(string keysDirectory)
    {
        ArgumentNullException.ThrowIfNull(keysDirectory);
        var full = Path.GetFullPath(keysDirectory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"DUIS keys folder not found: {full}");
        }

        var store = new DuisKeyStore(full);
        var files = System.IO.Directory.GetFiles(full, "*.pem");
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var path in files)
        {
            if (path.EndsWith(".key.pem", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var stem = Path.GetFileNameWithoutExtension(path);
            var certificate = SigningIdentity.LoadCertificate(path);
            Eui64? eui = TryGetStemEui(stem, out var fromName) ? fromName
                : DistinguishedNames.TryGetSubjectEui(certificate.SubjectName, out var fromSubject) ? fromSubject : null;
            store.Add(new DuisCertificate(stem, path, certificate, eui));
        }

        return store;
    }

    /// <summary>
    /// Finds a certificate by <c>X509IssuerName</c> and <c>X509SerialNumber</c>. The issuer is compared as a
    /// distinguished name (<c>CN=Z1, OU=07</c> matches <c>CN=Z1,OU=07</c>); the serial as a decimal number.
    /// </summary>
    public bool TryFind(string issuerName, string serialNumber, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DuisCertificate? certificate)
    {
        ArgumentNullException.ThrowIfNull(issuerName);
        ArgumentNullException.ThrowIfNull(serialNumber);
        certificate = null;
        var key = IssuerSerialKey(issuerName, serialNumber);
        return key is not null && byIssuerSerial.TryGetValue(key, out certificate);
    }

    /// <summary>Finds a certificate by its file stem.</summary>
    public bool TryFindByStem(string stem, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DuisCertificate? certificate) =>
        byStem.TryGetValue(stem, out certificate);

    /// <summary>
    /// The certificates that belong to an EUI-64: those whose file name carries it first (current before
    /// <c>-pre-</c> predecessors), then those whose subject names it.
    /// </summary>
    public IReadOnlyList<DuisCertificate> ForEui(Eui64 eui) =>
        byEui.TryGetValue(eui, out var list) ? list : [];

    /// <summary>
    /// The signing identity of a file stem (<c>{stem}.key</c> + <c>{stem}.pem</c>), loaded once and then shared.
    /// </summary>
    /// <exception cref="FileNotFoundException">The stem has no certificate or no key in this folder.</exception>
    /// <exception cref="InvalidDataException">The files cannot be read or do not belong together.</exception>
    public SigningIdentity Identity(string stem)
    {
        ArgumentNullException.ThrowIfNull(stem);
        return identities.GetOrAdd(stem, s => SigningIdentity.Load(Directory, s));
    }

    /// <summary>The signing identity for an EUI-64: the first of <see cref="ForEui"/> that has a private key.</summary>
    /// <exception cref="KeyNotFoundException">No certificate with a private key belongs to the EUI.</exception>
    public SigningIdentity IdentityFor(Eui64 eui)
    {
        foreach (var c in ForEui(eui))
        {
            if (c.KeyPath is not null)
            {
                return Identity(c.Stem);
            }
        }

        throw new KeyNotFoundException($"No signing key for {eui} in {Directory}.");
    }

    /// <summary>
    /// Reads the EUI-64 a DUIS key file name carries as 16 hex digits between hyphens
    /// (<c>xml-sign-90B3D51F30010000-ds</c>, <c>dsp-xml-sign-90B3D51F30000002-ds-pre-1.4.1</c>).
    /// </summary>
    public static bool TryGetStemEui(string stem, out Eui64 eui)
    {
        ArgumentNullException.ThrowIfNull(stem);
        eui = default;
        foreach (var part in stem.Split('-'))
        {
            if (part.Length == 16 && ulong.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                eui = new Eui64(value);
                return true;
            }
        }

        return false;
    }

    /// <summary>The lookup key of an issuer and serial pair, or null when the issuer is not a distinguished name.</summary>
    internal static string? IssuerSerialKey(string issuerName, string serialNumber)
    {
        var issuer = DistinguishedNames.Normalize(issuerName);
        var serial = serialNumber.Trim().TrimStart('0');
        if (issuer is null || serial.Length == 0 && serialNumber.Trim().Length == 0)
        {
            return null;
        }

        foreach (var c in serial)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }

        return issuer + "|" + (serial.Length == 0 ? "0" : serial);
    }

    private void Add(DuisCertificate certificate)
    {
        certificates.Add(certificate);
        byStem[certificate.Stem] = certificate;
        var key = IssuerSerialKey(certificate.IssuerName, certificate.SerialNumber);
        if (key is not null)
        {
            byIssuerSerial.TryAdd(key, certificate);
        }

        if (certificate.Eui is { } eui)
        {
            if (!byEui.TryGetValue(eui, out var list))
            {
                byEui[eui] = list = [];
            }

            list.Add(certificate);
            list.Sort(static (a, b) => Rank(a).CompareTo(Rank(b)) is var r && r != 0 ? r : string.CompareOrdinal(a.Stem, b.Stem));
        }
    }

    // File-name EUIs first, current keys before their "-pre-" predecessors, subject-only matches last.
    private static int Rank(DuisCertificate c) =>
        !TryGetStemEui(c.Stem, out _) ? 2 : c.Stem.Contains("-pre-", StringComparison.Ordinal) ? 1 : 0;
}

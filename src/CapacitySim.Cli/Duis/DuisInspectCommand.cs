using System.CommandLine;
using System.Globalization;
using System.Xml;
using CapacitySim.Duis;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Signing;

namespace CapacitySim.Cli.Duis;

/// <summary>
/// <c>capacitysim duis inspect FILE</c>: prints the parsed header, validates against the v5.4 schema and verifies the
/// signature (and a SMETS1 inner signature), exiting 1 with a precise message when any check fails.
/// </summary>
internal static class DuisInspectCommand
{
    public static Command Create(MaterialOptions material, CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "A DUIS request, response or alert (XML)." };
        var allowUnsigned = new Option<bool>("--allow-unsigned") { Description = "Do not count a missing signature as a failure." };
        var command = new Command("inspect", "Parse a DUIS message's header, validate it against the schema and verify its signature.")
        {
            file, allowUnsigned,
        };
        command.SetAction(parse =>
        {
            var env = material.Open(parse);
            var info = parse.GetValue(file)!;
            if (!info.Exists)
            {
                throw new CliException($"{info.FullName}: no such file.");
            }

            return Inspect(info.FullName, File.ReadAllBytes(info.FullName), env, parse.GetValue(allowUnsigned), console.Out);
        });
        return command;
    }

    /// <summary>Inspects one message; returns 0 when every check passed, 1 otherwise.</summary>
    internal static int Inspect(string name, byte[] message, DuisEnvironment env, bool allowUnsigned, TextWriter output)
    {
        var failures = new List<string>();
        output.WriteLine($"{name} ({message.Length} bytes)");

        var status = DuisHeaderReader.TryRead(message, out var header);
        if (status != DuisReadStatus.Ok)
        {
            var (line, column) = LineAndColumn(message, header.ErrorOffset);
            failures.Add($"header: {status} at line {line}, column {column} (byte {header.ErrorOffset})");
        }
        else
        {
            PrintHeader(header, output);
        }

        if (env.Schema is { } schema)
        {
            var findings = schema.Validate(message);
            if (findings.Count == 0)
            {
                output.WriteLine("  schema:            valid (DUIS v5.4)");
            }
            else
            {
                output.WriteLine($"  schema:            {findings.Count} finding(s)");
                foreach (var f in findings)
                {
                    output.WriteLine($"    {name}:{f}");
                }

                failures.Add($"schema: {findings[0]}" + (findings.Count > 1 ? $" (and {findings.Count - 1} more)" : string.Empty));
            }
        }
        else
        {
            output.WriteLine($"  schema:            not checked: {env.Describe()}");
        }

        if (status == DuisReadStatus.Ok)
        {
            VerifySignatures(message, env, allowUnsigned, output, failures);
        }

        if (failures.Count == 0)
        {
            output.WriteLine("  result:            OK");
            return 0;
        }

        output.WriteLine("  result:            FAILED");
        foreach (var failure in failures)
        {
            output.WriteLine($"    {failure}");
        }

        return 1;
    }

    private static void PrintHeader(in DuisHeader h, TextWriter output)
    {
        output.WriteLine($"  message:           {h.MessageKind}" + (h.BodyKind == DuisBodyKind.None ? string.Empty : $" / {h.BodyKind}"));
        if (h.HasRequestId)
        {
            output.WriteLine($"  RequestID:         {h.RequestId} (originator {h.RequestId.Originator}, target {h.RequestId.Target}, counter {h.RequestId.Counter})");
        }

        if (h.HasResponseId)
        {
            output.WriteLine($"  ResponseID:        {h.ResponseId}");
        }

        if (h.HasCommandVariant)
        {
            output.WriteLine($"  CommandVariant:    {(byte)h.CommandVariant} ({h.CommandVariant})");
        }

        if (h.HasServiceReferenceVariant)
        {
            var name = CapacitySim.Duis.Catalogue.ServiceCatalogue.TryGet(h.ServiceReferenceVariant, out var srv) ? $" ({srv.Name.ReplaceLineEndings(" ")})" : " (not in the DUIS v5.4 catalogue)";
            output.WriteLine($"  ServiceReference:  {h.ServiceReference}, variant {h.ServiceReferenceVariant}{name}");
        }

        if (h.HasResponseCode)
        {
            output.WriteLine($"  ResponseCode:      {h.ResponseCode} ({h.ResponseCode.Description})");
        }

        if (h.HasResponseDateTime)
        {
            output.WriteLine($"  ResponseDateTime:  {h.ResponseDateTime.ToString("O", CultureInfo.InvariantCulture)}");
        }

        if (h.HasDeviceAlertCode)
        {
            output.WriteLine($"  AlertCode:         {h.DeviceAlertCode} ({h.DeviceAlertCode.Description})");
        }

        if (h.HasDccAlertCode)
        {
            output.WriteLine($"  DCCAlertCode:      {h.DccAlertCode} ({h.DccAlertCode.Description})");
        }

        if (h.HasThrottledAlertSequenceId || h.HasThrottledAlertCount)
        {
            output.WriteLine($"  Throttled:         sequence {h.ThrottledAlertSequenceId}, count {h.ThrottledAlertCount}");
        }
    }

    private static void VerifySignatures(byte[] message, DuisEnvironment env, bool allowUnsigned, TextWriter output, List<string> failures)
    {
        XmlDocument document;
        try
        {
            document = DuisSignatureVerifier.LoadDocument(message);
        }
        catch (XmlException ex)
        {
            failures.Add($"signature: the message is not well-formed XML at line {ex.LineNumber}, column {ex.LinePosition}: {ex.Message}");
            return;
        }

        var outer = Verify(env, store => new DuisSignatureVerifier(store).Verify(document), out var outerStore);
        var signer = DescribeSigner(document.DocumentElement, outerStore);
        switch (outer)
        {
            case SignatureVerificationResult.Valid:
                output.WriteLine($"  signature:         valid{signer}");
                break;
            case SignatureVerificationResult.NoSignature:
                output.WriteLine("  signature:         none");
                if (!allowUnsigned)
                {
                    failures.Add("signature: the message is not signed (use --allow-unsigned to accept that)");
                }

                break;
            default:
                output.WriteLine($"  signature:         {outer}{signer}");
                failures.Add($"signature: {Explain(outer)}");
                break;
        }

        // SMETS1 responses and S1SP alerts carry an inner document signed by the SMETS1 service provider on its own.
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("sr", DuisNamespaces.ServiceUserGateway);
        foreach (XmlElement inner in document.SelectNodes("//sr:SMETS1SignedResponse | //sr:S1SPAlert", ns)!)
        {
            var result = Verify(env, store => new DuisSignatureVerifier(store).VerifyStandalone(inner), out var innerStore);
            var innerSigner = DescribeSigner(inner, innerStore);
            output.WriteLine($"  inner signature:   {inner.LocalName}: {(result == SignatureVerificationResult.Valid ? "valid" : result.ToString())}{innerSigner}");
            if (result != SignatureVerificationResult.Valid)
            {
                failures.Add($"inner signature of {inner.LocalName}: {Explain(result)}");
            }
        }
    }

    /// <summary>Tries each key store in turn: a certificate unknown to one may be in the next.</summary>
    private static SignatureVerificationResult Verify(DuisEnvironment env, Func<DuisKeyStore, SignatureVerificationResult> verify, out DuisKeyStore? usedStore)
    {
        var result = SignatureVerificationResult.UnknownCertificate;
        usedStore = null;
        foreach (var store in env.VerificationStores())
        {
            result = verify(store);
            usedStore = store;
            if (result != SignatureVerificationResult.UnknownCertificate)
            {
                break;
            }
        }

        return result;
    }

    private static string DescribeSigner(XmlElement? signedRoot, DuisKeyStore? store)
    {
        if (signedRoot is null)
        {
            return string.Empty;
        }

        var ns = new XmlNamespaceManager(signedRoot.OwnerDocument.NameTable);
        ns.AddNamespace("ds", DuisNamespaces.XmlDsig);
        var issuer = signedRoot.SelectSingleNode("ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509IssuerSerial/ds:X509IssuerName", ns)?.InnerText.Trim();
        var serial = signedRoot.SelectSingleNode("ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509IssuerSerial/ds:X509SerialNumber", ns)?.InnerText.Trim();
        if (issuer is null || serial is null)
        {
            return string.Empty;
        }

        var certificate = store is not null && store.TryFind(issuer, serial, out var found) ? $", certificate {found.Stem}" : string.Empty;
        return $" (issuer {issuer}, serial {serial}{certificate})";
    }

    private static string Explain(SignatureVerificationResult result) => result switch
    {
        SignatureVerificationResult.DigestMismatch => "the signed content was changed after signing (digest mismatch)",
        SignatureVerificationResult.SignatureInvalid => "the signature value does not verify with the named certificate",
        SignatureVerificationResult.UnknownCertificate => "no certificate with the X509IssuerName and X509SerialNumber the signature names is in the DUIS material's keys or the test PKI",
        SignatureVerificationResult.Malformed => "the signature is not in the form DUIS uses (algorithms, reference or structure)",
        _ => result.ToString(),
    };

    private static (int Line, int Column) LineAndColumn(ReadOnlySpan<byte> message, int offset)
    {
        offset = Math.Clamp(offset, 0, message.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (message[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }
}

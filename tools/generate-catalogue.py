#!/usr/bin/env python3
"""Generates the DUIS catalogue tables of CapacitySim.Duis from the shared DUIS material.

Writes two checked-in C# files (the product never parses the JSON or the schema at run time):

  src/CapacitySim.Duis/Catalogue/ServiceCatalogue.Generated.cs
      the 129 Service Reference Variants of request-matrix.json, with the command variants each may use, the
      request body element the schema gives each, and the device types each applies to;
  src/CapacitySim.Duis/Catalogue/SchemaCodes.Generated.cs
      the ResponseCode and DCCAlertCode enumerations of the DUIS schema.

Usage (from the repository root; Python 3.8+, standard library only):

  python3 tools/generate-catalogue.py [SHARED_DUIS_DIR]

SHARED_DUIS_DIR defaults to ../shared/duis beside the repository (the folder holding request-matrix.json and
schema/). Re-run it when a new DUIS release changes the matrix or the schema, then run the Catalogue tests, which
compare the generated tables with the same sources.

Command variants per variant: the DUIS schema writes them as a comment after each ServiceReferenceVariant
enumeration value (<!-- CV = 4, 5, 6, 7 -->). Those comments are more exact than the general rule (non-device: 8;
critical: 4, 5, 6, 7; otherwise 1, 2, 3), for example 8.1.1 Commission Device may use only 4 and 5 and 8.5 Service
Opt Out only 1. Where a comment contradicts the matrix's Critical or Non-Device flag (it is not a subset of what the
flag implies), the comment is taken to be a slip in the schema and the rule from the flag is used; the generated
entry says so. In DUIS 5.4 that is 7.12 to 7.15, and the DCC's own sample requests agree with the matrix (7.13 is
sent with CV 4, 7.15 with CV 1).

Request body per variant: the schema's sr:Request/sr:Body choice lists one element per variant, in the order of the
ServiceReferenceVariant enumeration (then SignedPreCommand, the CV 5 body); the generator pairs them by position and
checks that each element's name is made of the words of the matrix's Service Request Name (or their abbreviations).

Device types per variant (the rule behind E11), from the body and the matrix; DUIS states them in prose only:
  1. a non-device request (matrix) targets the DCC;
  2. a body element whose own name names one device (CHF, GPF, PPMID: SetCHFSubGHzConfiguration,
     RestoreGPFDeviceLog) applies to that device only;
  3. otherwise the fuels: electricity when an eligible role is an electricity one (IS, ES, ED) or the body's type
     tree holds electricity content (Elec.../Electricity... elements or types, ESME enumeration values), gas when a
     role is a gas one (GS, GT) or the tree holds gas content (Gas..., GSME...); a body with neither, sent by
     fuel-neutral roles (OU, RSA) or by none, applies to both meters. Electricity is the ESME; gas is the GSME and
     its gas proxy function, which answers for it;
  4. auxiliary load and controller content (element or type names with ALC, AuxiliaryLoad, AuxiliaryController,
     APC) is ESME equipment that a HAN-connected switch also carries: electricity and the HCALCS;
  5. a body naming the hub's device logs or whitelist (...DeviceLog..., ...CHF... in its tree) applies to the CHF
     too;
  6. a body about the device itself (its identity, security credentials or security log, firmware, commissioning,
     or joining another device) applies to every device that holds credentials: ESME, GSME, CHF, PPMID and HCALCS.
Type 2 devices (IHDs) hold no credentials and take no commands: no variant applies to them.
"""

import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"
SCHEMA_FILE = "DUIS Schema V5.4.xsd"
MATRIX_FILE = "request-matrix.json"

FUTURE_DATED = {"No": "No", "DSP": "Dsp", "Device": "Device", "DSP & Device": "DspAndDevice"}
ROLES = {
    "IS": "ImportSupplier",
    "ES": "ExportSupplier",
    "GS": "GasSupplier",
    "ED": "ElectricityDistributor",
    "GT": "GasTransporter",
    "OU": "OtherUser",
    "RSA": "RegisteredSupplierAgent",
}
YES_NO = {"Yes": "true", "No": "false"}
RESPONSE_KINDS = {"I": "Information", "E": "Error", "W": "Warning"}
DCC_ALERT_KINDS = {"N": "N", "AD": "AD"}


def fail(message):
    sys.exit(f"generate-catalogue: {message}")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def cs_string(text):
    """A C# string literal; names are kept exactly as the matrix writes them, line breaks included."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(c, c) for c in text) + '"'


def variant_parts(text):
    parts = [int(p) for p in text.split(".")]
    if len(parts) == 2:
        parts.append(0)
    if len(parts) != 3 or not all(0 <= p < 100 for p in parts):
        fail(f"unexpected Service Reference Variant {text!r}")
    return parts


def load_schema(path):
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    return ET.parse(path, parser).getroot()


def simple_type(root, name):
    for st in root.iter(XS + "simpleType"):
        if st.get("name") == name:
            return st
    fail(f"simple type {name} not found in the schema")


def schema_cv_comments(root):
    """ServiceReferenceVariant enumeration values, in order, each with the CV list of the comment after it."""
    restriction = simple_type(root, "ServiceReferenceVariant").find(XS + "restriction")
    result = []
    for child in restriction:
        if child.tag == XS + "enumeration":
            result.append([child.get("value"), None])
        elif child.tag is ET.Comment:
            m = re.fullmatch(r"\s*CV\s*=\s*([\d,\s]+?)\s*", child.text or "")
            if not m or not result or result[-1][1] is not None:
                fail(f"unexpected comment in ServiceReferenceVariant: {child.text!r}")
            result[-1][1] = [int(v) for v in m.group(1).replace(" ", "").split(",")]
    for value, cvs in result:
        if cvs is None:
            fail(f"no CV comment after ServiceReferenceVariant {value}")
    return result


def dcc_alert_codes(root):
    for ct in root.iter(XS + "complexType"):
        if ct.get("name") == "DCCAlertMessage":
            for el in ct.iter(XS + "element"):
                if el.get("name") == "DCCAlertCode":
                    return [e.get("value") for e in el.iter(XS + "enumeration")]
    fail("DCCAlertMessage/DCCAlertCode enumeration not found in the schema")


ELECTRICITY_ROLES = {"IS", "ES", "ED"}
GAS_ROLES = {"GS", "GT"}
DEVICE_NAMED = [("CHF", "CommunicationsHub"), ("GPF", "GasProxy"), ("PPMID", "Ppmid")]
CREDENTIAL_HOLDERS = ["ElectricityMeter", "GasMeter", "CommunicationsHub", "Ppmid", "Hcalcs"]
DEVICE_ITSELF = re.compile(r"Security|Identity|Firmware|CommissionDevice|Join|Unjoin")
AUXILIARY = re.compile(r"ALC|AuxiliaryLoad|AuxiliaryController|APC")
HUB_LOGS = re.compile(r"DeviceLog|CHF")
ELECTRICITY_WORDS = re.compile(r"^(Elec|Electricity|ESME)|=ESME$")
GAS_WORDS = re.compile(r"^(Gas|GSME)|=GSME")


def request_bodies(root):
    """The sr:Request/sr:Body choice: one element per Service Reference Variant, then SignedPreCommand."""
    for ct in root.findall(XS + "complexType"):
        if ct.get("name") == "Request":
            for el in ct.iter(XS + "element"):
                if el.get("name") == "Body":
                    return el.find(XS + "complexType").find(XS + "choice").findall(XS + "element")
    fail("sr:Request/sr:Body not found in the schema")


def name_words(text):
    return [w for w in re.split(r"[^A-Za-z]+", text) if w]


def body_matches_name(element, name):
    """True when most capitalised parts of the element name are words (or word starts) of the SR name: the schema
    abbreviates some (CoM for Change Of Mode, ALC for Auxiliary Load Control), so a pairing slipped by one position
    shows as a mismatch of most parts."""
    words = [w.lower() for w in name_words(name)]
    parts = re.findall(r"[A-Z]{2,}(?=[A-Z][a-z]|$)|[A-Z][a-z]*|[a-z]+", element)
    known = sum(1 for p in parts if any(w.startswith(p.lower()) or p.lower().startswith(w) for w in words))
    return 2 * known >= len(parts)


def type_tree(root, element):
    """Element, attribute and type names and enumeration values ('=value') reachable from a body element."""
    complex_types = {ct.get("name"): ct for ct in root.findall(XS + "complexType")}
    simple_types = {st.get("name"): st for st in root.findall(XS + "simpleType")}
    seen, out = set(), set()

    def walk(node):
        for n in node.iter():
            if n.tag in (XS + "element", XS + "attribute") and n.get("name"):
                out.add(n.get("name"))
            if n.tag == XS + "enumeration":
                out.add("=" + n.get("value"))
            for attr in ("type", "base"):
                t = n.get(attr)
                if t and t.startswith("sr:") and t[3:] not in seen:
                    seen.add(t[3:])
                    out.add(t[3:])
                    target = complex_types.get(t[3:]) or simple_types.get(t[3:])
                    if target is not None:
                        walk(target)

    walk(element)
    return out


def device_types(entry, element, tree):
    """The device types a variant applies to, and why (rules 1-6 of the module comment)."""
    if entry["Non-Device Request"] == "Yes":
        return ["Dcc"], "non-device"
    name = element.get("name")
    for marker, device in DEVICE_NAMED:
        if marker in name:
            return [device], f"body {name} names the {marker}"
    roles = set(entry["Eligible User Roles"])
    why = []
    electricity = bool(roles & ELECTRICITY_ROLES)
    gas = bool(roles & GAS_ROLES)
    if electricity or gas:
        why.append("roles " + ", ".join(sorted(roles & (ELECTRICITY_ROLES | GAS_ROLES))))
    if any(ELECTRICITY_WORDS.search(w) for w in tree) and not electricity:
        electricity = True
        why.append("electricity content")
    if any(GAS_WORDS.search(w) for w in tree) and not gas:
        gas = True
        why.append("gas content")
    # Names only: enumeration values such as ClearEventLog's ALCS name a log of the meter, not a device.
    auxiliary = any(AUXILIARY.search(w) for w in tree if not w.startswith("="))
    if auxiliary and not electricity:
        electricity = True
    if not electricity and not gas:
        electricity = gas = True
        why.append("no fuel-specific role or content: both meters")
    devices = []
    if electricity:
        devices.append("ElectricityMeter")
    if gas:
        devices += ["GasMeter", "GasProxy"]
    if auxiliary:
        devices.append("Hcalcs")
        why.append("auxiliary load/controller content")
    if any(HUB_LOGS.search(w) for w in tree if not w.startswith("=")):
        devices.append("CommunicationsHub")
        why.append("hub log content")
    if DEVICE_ITSELF.search(name):
        devices += CREDENTIAL_HOLDERS
        why.append("about the device itself")
    order = ["ElectricityMeter", "GasMeter", "CommunicationsHub", "GasProxy", "Ppmid", "Hcalcs", "Dcc"]
    return sorted(set(devices), key=order.index), "; ".join(why)


def rule_cvs(critical, non_device):
    if non_device:
        return [8]
    return [4, 5, 6, 7] if critical else [1, 2, 3]


def generate_catalogue(matrix, schema_cvs, schema_references, bodies, trees, header):
    if [e["Service Reference Variant"] for e in matrix] != [v for v, _ in schema_cvs]:
        fail("the matrix and the schema's ServiceReferenceVariant enumeration differ in content or order")
    if len(bodies) != len(matrix) + 1 or bodies[-1].get("name") != "SignedPreCommand":
        fail("the schema's request Body choice is not one element per variant followed by SignedPreCommand")
    entries = []
    switch = []
    for index, (e, (_, comment_cvs)) in enumerate(zip(matrix, schema_cvs)):
        srv = e["Service Reference Variant"]
        major, minor, sub = variant_parts(srv)
        reference = f"{major}.{minor}"
        if reference not in schema_references:
            fail(f"{srv}: Service Reference {reference} is not in the schema's ServiceReference enumeration")
        if e["Service Reference"] != reference:
            # The matrix writes 6.20 as 6.2 for 6.20.1 and 6.20.2 (a trailing zero lost as a number); the
            # catalogue takes the reference from the variant, which the schema confirms.
            if float(e["Service Reference"]) != float(reference):
                fail(f"{srv}: Service Reference {e['Service Reference']} does not match the variant")
            print(f"generate-catalogue: {srv}: matrix Service Reference {e['Service Reference']} read as {reference}",
                  file=sys.stderr)
        critical = YES_NO[e["Critical"]]
        non_device = YES_NO[e["Non-Device Request"]]
        implied = rule_cvs(critical == "true", non_device == "true")
        if set(comment_cvs) <= set(implied):
            cvs = comment_cvs
            note = f"schema: CV = {', '.join(map(str, comment_cvs))}"
        else:
            cvs = implied
            note = (f"schema comment says CV = {', '.join(map(str, comment_cvs))}, which contradicts the matrix "
                    f"(Critical {e['Critical']}, Non-Device {e['Non-Device Request']}): rule used")
            print(f"generate-catalogue: {srv}: {note}", file=sys.stderr)
        roles = " | ".join(f"UserRoles.{ROLES[r]}" for r in e["Eligible User Roles"]) or "UserRoles.None"
        body = bodies[index].get("name")
        if not body_matches_name(body, e["Service Request Name"]):
            fail(f"{srv}: schema body element {body} does not match the name {e['Service Request Name']!r}")
        devices, why = device_types(e, bodies[index], trees[index])
        entries.append(
            f"        // {srv}: {note}; body {body}: {', '.join(devices)} ({why})\n"
            f"        new(new({major}, {minor}, {sub}), {cs_string(e['Service Request Name'])}, "
            f"critical: {critical}, onDemand: {YES_NO[e['On Demand']]}, "
            f"FutureDatedPattern.{FUTURE_DATED[e['Future Dated Response Pattern']]}, "
            f"dccScheduled: {YES_NO[e['DCC Scheduled']]}, nonDevice: {non_device}, "
            f"{roles}, Cv({', '.join(map(str, cvs))}), {cs_string(body)}, "
            f"DeviceTypeSet.Of({', '.join('DeviceType.' + d for d in devices)})),")
        switch.append(f"        0x{(major << 16) | (minor << 8) | sub:06X} => {index}, // {srv}")
    return f"""{header}
using CapacitySim.Duis.Requests;

namespace CapacitySim.Duis.Catalogue;

/// <summary>The generated table of the catalogue.</summary>
public static partial class ServiceCatalogue
{{
    /// <summary>The entries, in the order of the DUIS matrix.</summary>
    private static readonly ServiceVariantInfo[] Entries =
    [
{chr(10).join(entries)}
    ];

    /// <summary>The index in <see cref="Entries"/> of a <see cref="ServiceReferenceVariant.Key"/>, or -1.</summary>
    private static int IndexOf(int key) => key switch
    {{
{chr(10).join(switch)}
        _ => -1,
    }};

    private static CommandVariantSet Cv(params ReadOnlySpan<byte> variants)
    {{
        var set = CommandVariantSet.Empty;
        foreach (var v in variants)
        {{
            set = CommandVariantSet.FromMask((ushort)(set.Mask | (1 << v)));
        }}

        return set;
    }}
}}
"""


def code_key(kind_value, number, shift):
    return (kind_value << shift) | number


def generate_codes(response_codes, dcc_codes, header):
    response_rows = []
    response_keys = []
    for text in response_codes:
        m = re.fullmatch(r"([IEW])(\d+)", text)
        if not m or (len(m.group(2)) not in (1, 2, 3, 4, 6)):
            fail(f"unexpected ResponseCode {text!r}")
        number = int(m.group(2))
        if (len(m.group(2)) == 6) != (number >= 10000):
            fail(f"ResponseCode {text!r} does not follow the short/six-digit convention")
        response_rows.append(f"        new(ResponseCodeKind.{RESPONSE_KINDS[m.group(1)]}, {number}), // {text}")
        response_keys.append(code_key(ord(m.group(1)), number, 24))
    dcc_rows = []
    dcc_keys = []
    for text in dcc_codes:
        m = re.fullmatch(r"(N|AD)([1-9]\d*)", text)
        if not m:
            fail(f"unexpected DCCAlertCode {text!r}")
        kind = {"N": ord("N"), "AD": ord("A")}[m.group(1)]
        dcc_rows.append(f"        new(DccAlertCodeKind.{DCC_ALERT_KINDS[m.group(1)]}, {int(m.group(2))}), // {text}")
        dcc_keys.append(code_key(kind, int(m.group(2)), 16))
    if len(set(response_keys)) != len(response_keys) or len(set(dcc_keys)) != len(dcc_keys):
        fail("duplicate codes in the schema enumerations")

    def key_lines(keys):
        keys = sorted(keys)
        return "\n".join("        " + ", ".join(f"0x{k:08X}" for k in keys[i:i + 8]) + ","
                         for i in range(0, len(keys), 8))

    return f"""{header}
namespace CapacitySim.Duis.Catalogue;

/// <summary>The generated ResponseCode enumeration of the DUIS schema.</summary>
public static partial class ResponseCodes
{{
    /// <summary>Every code of the schema's <c>ResponseCode</c> simple type, in schema order.</summary>
    private static readonly ResponseCode[] SchemaOrder =
    [
{chr(10).join(response_rows)}
    ];

    /// <summary>The same codes as keys (letter &lt;&lt; 24 | number), sorted for binary search.</summary>
    private static readonly uint[] SortedKeys =
    [
{key_lines(response_keys)}
    ];
}}

/// <summary>The generated DCCAlertCode enumeration of the DUIS schema.</summary>
public static partial class DccAlertCodes
{{
    /// <summary>Every code of the schema's <c>DCCAlertMessage/DCCAlertCode</c> enumeration, in schema order.</summary>
    private static readonly DccAlertCode[] SchemaOrder =
    [
{chr(10).join(dcc_rows)}
    ];

    /// <summary>The same codes as keys (kind &lt;&lt; 16 | number), sorted for binary search.</summary>
    private static readonly uint[] SortedKeys =
    [
{key_lines(dcc_keys)}
    ];
}}
"""


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shared = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(os.path.dirname(repo), "shared", "duis")
    matrix_path = os.path.join(shared, MATRIX_FILE)
    schema_path = os.path.join(shared, "schema", SCHEMA_FILE)
    with open(matrix_path, encoding="utf-8") as f:
        matrix = json.load(f)
    root = load_schema(schema_path)

    def header(what):
        return f"""// <auto-generated>
// {what}
// Generated by tools/generate-catalogue.py from the shared DUIS material; do not edit by hand. To re-generate, run
// from the repository root:   python3 tools/generate-catalogue.py [path/to/shared/duis]
// (default ../shared/duis), then run the Catalogue tests, which compare this table with the same sources.
// Sources:  {MATRIX_FILE}  sha256 {sha256(matrix_path)}
//           schema/{SCHEMA_FILE}  sha256 {sha256(schema_path)}
// </auto-generated>

#nullable enable
"""

    bodies = request_bodies(root)
    catalogue = generate_catalogue(
        matrix, schema_cv_comments(root),
        {e.get("value") for e in simple_type(root, "ServiceReference").iter(XS + "enumeration")},
        bodies, [type_tree(root, b) for b in bodies],
        header("DUIS Service Reference Variants: request-matrix.json, with the command variants of the schema's "
               "ServiceReferenceVariant comments, the schema's request body elements and the device types derived "
               "from both."))
    codes = generate_codes(
        [e.get("value") for e in simple_type(root, "ResponseCode").iter(XS + "enumeration")],
        dcc_alert_codes(root),
        header("DUIS ResponseCode and DCCAlertCode enumerations of the schema."))
    out = os.path.join(repo, "src", "CapacitySim.Duis", "Catalogue")
    for name, text in (("ServiceCatalogue.Generated.cs", catalogue), ("SchemaCodes.Generated.cs", codes)):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(f"generate-catalogue: wrote {os.path.join(out, name)}")


if __name__ == "__main__":
    main()

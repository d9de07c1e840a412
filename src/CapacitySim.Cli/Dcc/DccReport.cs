using System.Globalization;
using System.Net;
using System.Text;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Host;
using CapacitySim.Dcc.Metrics;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Dcc.Users;
using CapacitySim.Dcc.Validation;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Signing;

namespace CapacitySim.Cli.Dcc;

/// <summary>What the banner describes.</summary>
internal sealed record DccBannerFacts(DccSettings Settings, DuisEnvironment Environment, SimulatedDcc Dcc, DccHttpServer Server, int SchemaSample);

/// <summary>What <c>capacitysim dcc</c> prints: the banner, the live status line and the final books.</summary>
internal static class DccReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void WriteBanner(TextWriter output, DccBannerFacts facts)
    {
        var (settings, environment, dcc, server, schemaSample) = facts;
        var o = new StringBuilder();
        o.AppendLine("CapacitySim simulated DCC: a DCC Boxed-compatible DUIS endpoint");
        var baseAddress = server.BaseAddress;
        o.Append(Invariant, $"listening on {baseAddress.GetLeftPart(UriPartial.Authority)}");
        if (settings.Bind.Equals(IPAddress.Any) || settings.Bind.Equals(IPAddress.IPv6Any))
        {
            o.Append(" (every interface)");
        }

        o.AppendLine(settings.MutualTls ? " (HTTPS, client certificate required)" : baseAddress.Scheme == Uri.UriSchemeHttps ? " (HTTPS)" : string.Empty);
        o.AppendLine(Invariant, $"  Send Command (CV 1, 3, 5, 7)  POST {new Uri(baseAddress, DuisWebServices.SendCommandPath)}");
        o.AppendLine(Invariant, $"  Non-Device   (CV 2, 6, 8)     POST {new Uri(baseAddress, DuisWebServices.NonDevicePath)}");
        o.AppendLine(Invariant, $"  Transform    (CV 4)           POST {new Uri(baseAddress, DuisWebServices.TransformPath)}");
        o.AppendLine(Invariant, $"  metrics (Prometheus)          GET  {new Uri(baseAddress, "/metrics")}");
        o.AppendLine(Invariant, $"  emergency controls            GET  {new Uri(baseAddress, "/dcc/controls")}  (POST …/shed, …/defer, …/lift)");

        var estate = dcc.Estate;
        o.Append(Invariant, $"estate: {estate.PremisesCount:N0} premises, {estate.Count:N0} devices, {estate.BytesPerDevice:0.0} bytes/device");
        o.AppendLine(settings.EstatePath is null
            ? " (built-in default estate)"
            : $" (from {settings.EstatePath})");
        if (estate.HasReferencePremises)
        {
            o.AppendLine("  DCC Boxed reference premises: devices 00-DB-12-34-56-78-90-A0 to A6, as the DCC sample requests address them");
        }

        o.AppendLine(Invariant, $"behaviour: {settings.BehaviourPath ?? "built-in default"}; seed {settings.Seed}; background alerts and scheduled events {(settings.Alerts ? "on" : "off (--no-alerts)")}");
        o.AppendLine(settings.TimeCompression == 1
            ? "time: real time"
            : string.Create(Invariant, $"time: compressed x{settings.TimeCompression:0.###} (a 30 s device latency takes {30 / settings.TimeCompression:0.###} s)"));

        o.AppendLine(Invariant, $"delivery: {settings.Delivery.Describe()}{(settings.SettingsPath is { } file ? $" (settings file {file})" : string.Empty)}");
        o.Append("users (").Append(settings.UsersPath ?? "built-in DCC Boxed sample originators").Append(')');
        o.AppendLine(settings.ResponseUrl is null ? ":" : $", every response and alert to {settings.ResponseUrl}:");
        foreach (var user in dcc.Users.All)
        {
            o.AppendLine(Invariant, $"  {user.Eui}  {RoleCodes(user.Roles),-10} {user.Name}{(user.Status == UserStatus.Active ? string.Empty : " [" + user.Status.ToString().ToLowerInvariant() + "]")}  -> {user.ResponseEndpoint}");
        }

        o.AppendLine(Invariant, $"DUIS material: {(environment.Material is { } m ? m.Root + (m.HasSchema ? string.Empty : " (no schema/)") : "none given (--duis-dir or " + CapacitySim.Duis.DuisMaterial.EnvironmentVariable + ")")}");
        var keys = dcc.TestPki is { } pki
            ? $"CapacitySim's test PKI in {pki.Directory} (sign requests with its user keys, or give --duis-dir with DCC Boxed's keys)"
            : dcc.Keys.Directory;
        o.AppendLine(settings.VerifySignatures
            ? $"request signatures: checked against the certificates in {keys}"
            : "request signatures: NOT checked (--no-signature-check)");
        o.AppendLine(dcc.DccIdentity is { } dsp
            ? $"responses and alerts: signed with {Describe(dsp)}; SMETS1 inner responses with CapacitySim's shipped SMETS1 service provider test key"
            : "responses and alerts: NOT signed (--no-signing)");
        o.AppendLine(schemaSample switch
        {
            0 when environment.Material is not { HasSchema: true } => "schema validation: off (give --duis-dir with the DUIS schema to turn it on)",
            0 => "schema validation: off (--schema-sample 0)",
            1 => "schema validation: every request, against the DUIS v5.4 schema",
            _ => string.Create(Invariant, $"schema validation: one request in {schemaSample}, against the DUIS v5.4 schema"),
        });
        o.AppendLine(settings.Duration is { } d
            ? string.Create(Invariant, $"running for {d.TotalSeconds:0.###} s (--duration); Ctrl-C stops earlier")
            : "press Ctrl-C to stop (lanes and deliveries are drained first)");
        output.Write(o.ToString());
        output.Flush();
    }

    /// <summary>One line: traffic rate, where requests stand, delivery, alerts and whether the books balance.</summary>
    public static string StatusLine(DccAccountingSnapshot s, double requestsPerSecond, TimeSpan elapsed)
    {
        var d = s.Delivery.Totals;
        return string.Create(
            Invariant,
            $"{(int)elapsed.TotalHours:00}:{elapsed.Minutes:00}:{elapsed.Seconds:00}  {requestsPerSecond:0.0} req/s  accepted {s.AcceptedForDevice}  in lanes {s.Capacity.InFlight}  " +
            $"resp/err/t-o {s.Responses}/{s.RejectedSynchronously + s.NotDuis + s.Errors}/{s.TimedOut}  " +
            $"delivered {d.Delivered} queued {d.Queued} retrying {d.Retrying} failed queue {d.FailedQueue}{Redelivering(d)}  alerts {s.AlertsRaised} ({s.AlertStorm.Totals.Suppressed} suppressed)  " +
            $"balanced {(s.IsBalanced ? "yes" : "NO")}");
    }

    /// <summary>
    /// Failed-queue messages whose re-delivery POST is in flight, when there are any: a passing state, shown apart so
    /// that queued, retrying and failed queue mean what they mean at /metrics.
    /// </summary>
    private static string Redelivering(in DeliveryCounters d)
        => d.Redelivering == 0 ? string.Empty : string.Create(Invariant, $" redelivering {d.Redelivering}");

    /// <summary>The final books: every request received and where it ended, delivery, alerts, and what was left.</summary>
    public static void WriteFinal(TextWriter output, DccAccountingSnapshot s, bool drained, string? whyNotDrained)
    {
        var o = new StringBuilder();
        var d = s.Delivery.Totals;
        var c = s.Capacity;
        if (drained)
        {
            o.AppendLine("drained: every accepted request has its outcome and every message was delivered or expired");
        }
        else
        {
            o.AppendLine(Invariant, $"{whyNotDrained}; left when the DCC stopped: {c.InFlight} request(s) without an outcome, {c.AlertsInFlight} alert(s) in the lanes, {d.Pending} message(s) pending delivery ({Pending(d)})");
            foreach (var endpoint in s.Delivery.Endpoints)
            {
                if (endpoint.Counters.Pending > 0)
                {
                    o.AppendLine(Invariant, $"  {endpoint.Endpoint} ({endpoint.State.ToString().ToLowerInvariant()}): {endpoint.Counters.Pending} pending, {endpoint.Counters.FailedAttempts} failed attempts");
                }
            }
        }

        o.AppendLine("final accounting:");
        o.AppendLine(Invariant, $"  received                 {s.Received}");
        o.AppendLine(Invariant, $"    not DUIS (HTTP 400)    {s.NotDuis}");
        o.AppendLine(Invariant, $"    DUIS errors at once    {s.RejectedSynchronously}");
        o.AppendLine(Invariant, $"    answered at once       {s.AnsweredSynchronously}   (non-device, Transform, local delivery)");
        o.AppendLine(Invariant, $"    accepted for device    {s.AcceptedForDevice}   (I99)");
        if (s.InProcess != 0)
        {
            o.AppendLine(Invariant, $"    still being answered   {s.InProcess}");
        }

        o.AppendLine(Invariant, $"  refusals by reason       {Refusals(s.Validation)}");
        o.AppendLine(Invariant, $"  device outcomes          responses {s.Responses}, errors {s.Errors} (overload {c.RejectedOverload}, shed {c.Shed}, unreachable {c.Unreachable}), time-outs {s.TimedOut} (in queue {c.TimedOutInQueue}, no response {c.TimedOutNoResponse}, late answer {c.TimedOutLate}), without outcome {c.InFlight}");
        o.AppendLine(Invariant, $"  late device successes    {s.LateDeviceSuccesses}   (the device applied it after the DCC reported failure)");
        o.AppendLine(Invariant, $"  SMS wake-ups             {s.SmsWakeUps}");
        o.AppendLine(Invariant, $"  delivery                 taken {d.Accepted}, delivered {d.Delivered}, pending {d.Pending} ({Pending(d)}), expired {d.Expired}, refused {d.Refused}; attempts {d.Attempts}, failed attempts {d.FailedAttempts}, redelivered {d.Redelivered}");
        o.AppendLine(Invariant, $"  alerts                   raised {s.AlertsRaised}, suppressed {s.AlertStorm.Totals.Suppressed}, messages for users {s.AlertMessages}, shed {c.AlertsShed}, dropped on overload {c.AlertsRejectedOverload}, without recipient {s.AlertsWithoutRecipient}");
        o.AppendLine(Invariant, $"  balanced                 {(s.IsBalanced ? "yes" : "NO")}   (received = not DUIS + DUIS errors + answered + accepted + being answered; accepted = outcomes + without outcome; delivery taken = delivered + expired + pending)");
        output.Write(o.ToString());
        output.Flush();
    }

    private static string Pending(in DeliveryCounters d)
        => string.Create(Invariant, $"queued {d.Queued}, retrying {d.Retrying}, failed queue {d.FailedQueue}, redelivering {d.Redelivering}");

    private static string Refusals(ValidationCountsSnapshot validation)
    {
        var parts = new List<string>();
        foreach (var (reason, count) in validation.NonZero())
        {
            if (reason != ValidationReason.Accepted)
            {
                parts.Add(string.Create(Invariant, $"{DccMetrics.CodeLabelOf(reason)} {DccMetrics.LabelOf(reason)} {count}"));
            }
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static string RoleCodes(UserRoles roles) => roles == UserRoles.None ? "-" : UserRoleCodes.Format(roles, ",");

    private static string Describe(SigningIdentity identity)
        => $"{identity.Name} ({identity.Certificate.Issuer}, serial {identity.Certificate.SerialNumber})";
}

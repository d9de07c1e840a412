using System.Globalization;
using System.Text;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CapacitySim.Dcc.Host;

/// <summary>
/// The operator's emergency controls over HTTP, beside the DUIS services (the DCC listens on loopback unless told
/// otherwise): <c>GET /dcc/controls</c> lists active controls and the audit log; <c>POST /dcc/controls/shed</c> and
/// <c>/defer</c> switch one on for a class of traffic; <c>POST /dcc/controls/lift?id=N</c> switches it off.
/// Selectors (query): <c>class=on-demand-reads|on-demand|future-dated|dcc-scheduled|alerts</c>, <c>srv=4.1.1</c> or
/// <c>alert=8F01</c>; optionally <c>region=north|central|south</c>, <c>code=E20</c> (shed only) and <c>reason=…</c>.
/// Answers are plain text, one line per control, for curl and logs.
/// </summary>
public static class EmergencyControlEndpoints
{
    /// <summary>Maps the endpoints onto <paramref name="endpoints"/> for <paramref name="capacity"/>.</summary>
    public static void Map(IEndpointRouteBuilder endpoints, DccCapacityModel capacity)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(capacity);
        endpoints.MapGet("/dcc/controls", () => Results.Text(Describe(capacity), "text/plain"));
        endpoints.MapPost("/dcc/controls/shed", (HttpRequest request) => SwitchOn(capacity, request, EmergencyAction.Shed));
        endpoints.MapPost("/dcc/controls/defer", (HttpRequest request) => SwitchOn(capacity, request, EmergencyAction.Defer));
        endpoints.MapPost("/dcc/controls/lift", (HttpRequest request) =>
        {
            if (!int.TryParse(request.Query["id"], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return Results.Text("lift needs id=N (see GET /dcc/controls)\n", "text/plain", statusCode: 400);
            }

            foreach (var control in capacity.ActiveControls)
            {
                if (control.Id == id)
                {
                    capacity.Lift(control);
                    return Results.Text($"lifted {Line(control)}\n", "text/plain");
                }
            }

            return Results.Text($"no active control #{id}\n", "text/plain", statusCode: 404);
        });
    }

    /// <summary>Parses a selector from query values; null with a reason when it is not one.</summary>
    public static TrafficSelector? ParseSelector(string? trafficClass, string? srv, string? alert, string? region, out string? error)
    {
        error = null;
        TrafficSelector selector;
        var given = (trafficClass is null ? 0 : 1) + (srv is null ? 0 : 1) + (alert is null ? 0 : 1);
        if (given != 1)
        {
            error = "name exactly one of class=…, srv=… or alert=…";
            return null;
        }

        if (trafficClass is not null)
        {
            switch (trafficClass)
            {
                case "on-demand-reads": selector = TrafficSelector.OnDemandReads; break;
                case "on-demand": selector = TrafficSelector.ForClass(DccTrafficClass.OnDemand); break;
                case "future-dated": selector = TrafficSelector.ForClass(DccTrafficClass.FutureDated); break;
                case "dcc-scheduled": selector = TrafficSelector.ForClass(DccTrafficClass.DccScheduled); break;
                case "alerts": selector = TrafficSelector.ForClass(DccTrafficClass.Alert); break;
                default:
                    error = $"class={trafficClass}: expected on-demand-reads, on-demand, future-dated, dcc-scheduled or alerts";
                    return null;
            }
        }
        else if (srv is not null)
        {
            if (!ServiceReferenceVariant.TryParse(srv.AsSpan(), out var variant) || !ServiceCatalogue.Contains(variant))
            {
                error = $"srv={srv}: not a DUIS v5.4 Service Reference Variant";
                return null;
            }

            selector = TrafficSelector.ForServiceVariant(variant);
        }
        else
        {
            if (!DeviceAlertCode.TryParse(alert.AsSpan(), out var code))
            {
                error = $"alert={alert}: not a GBCS device alert code (4 hex digits)";
                return null;
            }

            selector = TrafficSelector.ForAlertCode(code);
        }

        if (region is not null)
        {
            if (!Enum.TryParse<CspRegion>(region, ignoreCase: true, out var r) || !Enum.IsDefined(r))
            {
                error = $"region={region}: expected north, central or south";
                return null;
            }

            selector = selector.InRegion(r);
        }

        return selector;
    }

    private static IResult SwitchOn(DccCapacityModel capacity, HttpRequest request, EmergencyAction action)
    {
        var q = request.Query;
        var selector = ParseSelector(q["class"], q["srv"], q["alert"], q["region"], out var error);
        if (selector is null)
        {
            return Results.Text(error + "\n", "text/plain", statusCode: 400);
        }

        var reason = q["reason"].ToString() is { Length: > 0 } r ? r : "operator";
        EmergencyControl control;
        if (action == EmergencyAction.Shed)
        {
            ResponseCode? code = null;
            if (q["code"].ToString() is { Length: > 0 } text)
            {
                if (!ResponseCode.TryParse(text.AsSpan(), out var parsed) || !parsed.IsError || !parsed.IsDefinedBySchema)
                {
                    return Results.Text($"code={text}: not a DUIS error code of the schema\n", "text/plain", statusCode: 400);
                }

                code = parsed;
            }

            control = capacity.Shed(selector.Value, reason, code);
        }
        else
        {
            control = capacity.Defer(selector.Value, reason);
        }

        return Results.Text($"on {Line(control)}\n", "text/plain");
    }

    private static string Describe(DccCapacityModel capacity)
    {
        var text = new StringBuilder();
        text.Append("active:\n");
        foreach (var control in capacity.ActiveControls)
        {
            text.Append("  ").Append(Line(control)).Append('\n');
        }

        text.Append("audit:\n");
        foreach (var entry in capacity.AuditLog)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {entry.At:O} {(entry.SwitchedOn ? "on " : "off")} {Line(entry.Control)}\n");
        }

        return text.ToString();
    }

    private static string Line(EmergencyControl c) => string.Create(
        CultureInfo.InvariantCulture,
        $"#{c.Id} {c.Action.ToString().ToLowerInvariant()} {c.Selector}{(c.Action == EmergencyAction.Shed ? $" ({c.Code})" : string.Empty)} since {c.SwitchedOnAt:O}{(c.SwitchedOffAt is { } off ? $" until {off:O}" : string.Empty)}; affected {c.Affected}, released {c.Released}; reason: {c.Reason}");
}

using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Capacity;

/// <summary>How requests are spread over the DCC's lanes.</summary>
public enum LaneAssignment : byte
{
    /// <summary>Each lane carries the traffic classes it lists; a message joins the shortest of those lanes.</summary>
    ByClass = 0,

    /// <summary>Every lane carries everything; messages take the lanes in turn.</summary>
    RoundRobin = 1,
}

/// <summary>One DCC processing lane (a DSP "motorway lane").</summary>
public sealed class DccLaneOptions
{
    /// <summary>A name for reports and metrics.</summary>
    public string Name { get; set; } = "lane";

    /// <summary>Messages the lane processes per second of scenario time.</summary>
    public double ServiceRatePerSecond { get; set; } = 1000;

    /// <summary>Most messages waiting in the lane (not counting the one in service); beyond it, arrivals are rejected.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The traffic classes the lane carries under <see cref="LaneAssignment.ByClass"/>.</summary>
    public IList<DccTrafficClass> Carries { get; } = [];
}

/// <summary>
/// The DCC's capacity configuration: lanes, in-flight capacity, response deadlines and the DUIS codes it answers with.
/// <para>
/// Codes (DUIS has no code for "DCC overloaded" or "operator shed"; these are the closest, and configurable):
/// </para>
/// <list type="table">
/// <listheader><term>Condition</term><description>Default code</description></listheader>
/// <item><term>lane queue full, or no in-flight slot free (<see cref="OverloadCode"/>)</term><description>E20: the DCC cannot establish communications with the device (it could not send the request).</description></item>
/// <item><term>operator shed control</term><description>given per control; E20 by default, for the same reason.</description></item>
/// <item><term>provider reports device unreachable (<see cref="UnreachableCode"/>)</term><description>E20.</description></item>
/// <item><term>DCC deadline passed, on-demand (<see cref="OnDemandTimeoutCode"/>)</term><description>E21: no response received from the device.</description></item>
/// <item><term>DCC deadline passed, future-dated or DCC-scheduled (<see cref="FutureDatedTimeoutCode"/>)</term><description>E30: time-out of a Future Dated command.</description></item>
/// </list>
/// </summary>
public sealed class DccCapacityOptions
{
    /// <summary>The lanes. At least one; under <see cref="LaneAssignment.ByClass"/> every traffic class needs a lane that carries it.</summary>
    public IList<DccLaneOptions> Lanes { get; } = [];

    /// <summary>How messages are spread over the lanes.</summary>
    public LaneAssignment Assignment { get; set; } = LaneAssignment.ByClass;

    /// <summary>Most messages (requests and alerts) inside the DCC at once, including late answers still awaited; preallocated.</summary>
    public int MaxInFlight { get; set; } = 65_536;

    /// <summary>
    /// The DCC's deadline for an on-demand request to an electricity meter, hub or other non-gas device. ASSUMPTION: the
    /// widely quoted 30 s Target Response Time (FACTS.md, performance levels; not confirmed from the SEC text).
    /// </summary>
    public TimeSpan OnDemandDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The deadline for an on-demand request to a gas meter or gas proxy. ASSUMPTION: the quoted 60 s TRT.</summary>
    public TimeSpan OnDemandGasDeadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The deadline for a future-dated or DCC-scheduled request to a non-gas device, counted from when the DCC sends it
    /// (its execution time). ASSUMPTION: the quoted TRT "the same from execution time" as on-demand.
    /// </summary>
    public TimeSpan FutureDatedDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The future-dated or DCC-scheduled deadline for a gas meter or gas proxy. ASSUMPTION: 60 s as on-demand.</summary>
    public TimeSpan FutureDatedGasDeadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Deadlines for single Service Reference Variants, overriding the class deadlines (for example a longer one for 6.15.1 certificate replacement).</summary>
    public IDictionary<ServiceReferenceVariant, TimeSpan> ServiceVariantDeadlines { get; } = new Dictionary<ServiceReferenceVariant, TimeSpan>();

    /// <summary>The code a request gets when its lane's queue is full or no in-flight slot is free.</summary>
    public ResponseCode OverloadCode { get; set; } = ResponseCodes.CannotCommunicateWithDevice;

    /// <summary>The code a request gets when the provider reports its device unreachable.</summary>
    public ResponseCode UnreachableCode { get; set; } = ResponseCodes.CannotCommunicateWithDevice;

    /// <summary>The code an on-demand request gets when the DCC's deadline passes.</summary>
    public ResponseCode OnDemandTimeoutCode { get; set; } = ResponseCodes.NoResponseFromDevice;

    /// <summary>The code a future-dated or DCC-scheduled request gets when the DCC's deadline passes.</summary>
    public ResponseCode FutureDatedTimeoutCode { get; set; } = ResponseCodes.FutureDatedTimeout;

    /// <summary>
    /// Options with three lanes, as the DSP runs after a third "motorway lane" was added for alert volume (FACTS.md):
    /// on-demand, future-dated and DCC-scheduled, alerts. ASSUMPTION: the service rates and queue bounds, which no public
    /// source gives; scenarios set their own.
    /// </summary>
    public static DccCapacityOptions WithDefaultLanes()
    {
        var options = new DccCapacityOptions();
        options.Lanes.Add(Lane("on-demand", DccTrafficClass.OnDemand));
        options.Lanes.Add(Lane("scheduled", DccTrafficClass.FutureDated, DccTrafficClass.DccScheduled));
        options.Lanes.Add(Lane("alerts", DccTrafficClass.Alert));
        return options;

        static DccLaneOptions Lane(string name, params DccTrafficClass[] classes)
        {
            var lane = new DccLaneOptions { Name = name, ServiceRatePerSecond = 1000, QueueCapacity = 60_000 };
            foreach (var c in classes)
            {
                lane.Carries.Add(c);
            }

            return lane;
        }
    }
}

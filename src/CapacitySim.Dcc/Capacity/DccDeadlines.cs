using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The DCC's response deadline for each request (by traffic class, gas or not, overridden per Service Reference
/// Variant) and the DUIS code a request gets when its deadline passes.
/// </summary>
internal sealed class DccDeadlines
{
    private readonly long[] classDeadline = new long[4];
    private readonly long[] classGasDeadline = new long[4];
    private readonly Dictionary<int, long> variantDeadline = [];
    private readonly ResponseCode onDemandTimeoutCode;
    private readonly ResponseCode futureDatedTimeoutCode;

    /// <exception cref="ArgumentOutOfRangeException">A deadline is not positive.</exception>
    public DccDeadlines(DccCapacityOptions options)
    {
        SetClassDeadlines(DccTrafficClass.OnDemand, options.OnDemandDeadline, options.OnDemandGasDeadline);
        SetClassDeadlines(DccTrafficClass.FutureDated, options.FutureDatedDeadline, options.FutureDatedGasDeadline);
        SetClassDeadlines(DccTrafficClass.DccScheduled, options.FutureDatedDeadline, options.FutureDatedGasDeadline);
        foreach (var (srv, deadline) in options.ServiceVariantDeadlines)
        {
            variantDeadline[srv.Key] = PositiveTicks(deadline);
        }

        onDemandTimeoutCode = options.OnDemandTimeoutCode;
        futureDatedTimeoutCode = options.FutureDatedTimeoutCode;
    }

    /// <summary>The time, in ticks from joining its lane, the DCC gives <paramref name="request"/>.</summary>
    public long Ticks(in DccRequest request)
    {
        if (variantDeadline.Count != 0 && variantDeadline.TryGetValue(request.Srv.Key, out var ticks))
        {
            return ticks;
        }

        var c = (int)request.Class;
        return request.IsGas ? classGasDeadline[c] : classDeadline[c];
    }

    /// <summary>The code <paramref name="request"/> gets when its deadline passes (E21 on-demand, E30 otherwise, by default).</summary>
    public ResponseCode TimeoutCode(in DccRequest request)
        => request.Class == DccTrafficClass.OnDemand ? onDemandTimeoutCode : futureDatedTimeoutCode;

    private static long PositiveTicks(TimeSpan value)
        => value > TimeSpan.Zero ? value.Ticks : throw new ArgumentOutOfRangeException(nameof(value), value, "A DCC deadline must be positive.");

    private void SetClassDeadlines(DccTrafficClass trafficClass, TimeSpan deadline, TimeSpan gasDeadline)
    {
        classDeadline[(int)trafficClass] = PositiveTicks(deadline);
        classGasDeadline[(int)trafficClass] = PositiveTicks(gasDeadline);
    }
}

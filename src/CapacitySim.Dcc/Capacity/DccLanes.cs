namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The DCC's processing lanes as configured (service time, queue bound, the classes each carries) with their running
/// state, and the choice of lane for an arriving message. The messages waiting in a lane are a list through the lane
/// engine's slots (<see cref="LaneState.Head"/> to <see cref="LaneState.Tail"/>). Not thread-safe: the DCC's lock
/// guards it.
/// </summary>
internal sealed class DccLanes
{
    private readonly LaneState[] states;
    private readonly string[] names;
    private readonly int[][] lanesForClass;
    private readonly LaneAssignment assignment;
    private int roundRobin;

    /// <exception cref="ArgumentException">No lanes, a rate or bound out of range, or a class no lane carries.</exception>
    public DccLanes(DccCapacityOptions options)
    {
        if (options.Lanes.Count == 0)
        {
            throw new ArgumentException("The DCC needs at least one processing lane.", nameof(options));
        }

        assignment = options.Assignment;
        states = new LaneState[options.Lanes.Count];
        names = new string[states.Length];
        var perClass = new List<int>[4];
        for (var c = 0; c < perClass.Length; c++)
        {
            perClass[c] = [];
        }

        for (var i = 0; i < states.Length; i++)
        {
            var lane = options.Lanes[i];
            if (!(lane.ServiceRatePerSecond > 0) || double.IsInfinity(lane.ServiceRatePerSecond) || lane.QueueCapacity < 0)
            {
                throw new ArgumentException($"Lane '{lane.Name}' needs a positive, finite service rate and a queue capacity of 0 or more.", nameof(options));
            }

            names[i] = lane.Name;
            states[i] = new LaneState
            {
                ServiceTicks = Math.Max(1, (long)Math.Round(TimeSpan.TicksPerSecond / lane.ServiceRatePerSecond)),
                Capacity = lane.QueueCapacity,
                Current = -1,
                Head = -1,
                Tail = -1,
            };
            foreach (var c in lane.Carries)
            {
                if (!perClass[(int)c].Contains(i))
                {
                    perClass[(int)c].Add(i);
                }
            }
        }

        lanesForClass = new int[4][];
        for (var c = 0; c < perClass.Length; c++)
        {
            if (assignment == LaneAssignment.ByClass && perClass[c].Count == 0)
            {
                throw new ArgumentException($"No lane carries {(DccTrafficClass)c} traffic.", nameof(options));
            }

            lanesForClass[c] = [.. perClass[c]];
        }
    }

    public int Count => states.Length;

    public ref LaneState this[int lane] => ref states[lane];

    public string Name(int lane) => names[lane];

    /// <summary>The lane an arriving message of <paramref name="trafficClass"/> joins.</summary>
    public int Choose(DccTrafficClass trafficClass)
    {
        if (assignment == LaneAssignment.RoundRobin)
        {
            var lane = roundRobin;
            roundRobin = lane + 1 == states.Length ? 0 : lane + 1;
            return lane;
        }

        // Shortest queue among the lanes that carry the class; ties go to the first listed.
        var candidates = lanesForClass[(int)trafficClass];
        var best = candidates[0];
        var bestLoad = Load(best);
        for (var i = 1; i < candidates.Length; i++)
        {
            var load = Load(candidates[i]);
            if (load < bestLoad)
            {
                best = candidates[i];
                bestLoad = load;
            }
        }

        return best;

        int Load(int lane) => states[lane].Waiting + (states[lane].Current >= 0 ? 1 : 0);
    }

    /// <summary>One lane's running state; slot indices refer to the lane engine's slots, -1 for none.</summary>
    internal struct LaneState
    {
        public long ServiceTicks;
        public long FreeAt;
        public long Served;
        public int Capacity;
        public int Waiting;
        public int Current;
        public int Head;
        public int Tail;
    }
}

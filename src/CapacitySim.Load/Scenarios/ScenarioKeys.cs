namespace CapacitySim.Load.Scenarios;

/// <summary>
/// Every key a scenario file may hold, by where it may appear. The reader checks keys against these lists and the
/// schema test checks <c>scenarios/scenario.schema.json</c> against them, so the loader and the schema cannot drift.
/// </summary>
internal static class ScenarioKeys
{
    public static readonly string[] Root =
    [
        "name", "description", "seed", "estate", "users", "phases", "timeCompression", "warmUp", "duration",
        "performanceLevels", "checks", "gate", "dcc", "target", "responseTimeouts", "drain",
    ];

    public static readonly string[] Estate = ["spec", "inline", "devicesCsv", "premises", "seed"];
    public static readonly string[] User = ["name", "roles", "eui", "key", "mix", "targets", "additionalServices"];
    public static readonly string[] MixEntry = ["srv", "weight", "commandVariant"];
    public static readonly string[] Targets = ["dmcs", "deviceTypes", "regions", "generations"];
    public static readonly string[] PhaseShapes = ["constant", "ramping", "step", "diurnal", "pause"];
    public static readonly string[] Constant = ["name", "rate", "duration"];
    public static readonly string[] Ramping = ["name", "from", "to", "duration"];
    public static readonly string[] Step = ["name", "rates", "stepDuration"];
    public static readonly string[] Diurnal = ["name", "hourlyRates", "scale", "startHour", "duration"];
    public static readonly string[] Pause = ["name", "duration"];
    public static readonly string[] Dcc = ["behaviour", "users", "signing"];
    public static readonly string[] Target = ["url", "listen", "signing", "tls"];

    public static readonly string[] TargetTls =
    [
        "clientCert", "clientKey", "clientCertPassword", "clientKeyPassword", "caCert",
        "listenCert", "listenKey", "listenCertPassword", "listenKeyPassword", "listenMutualTls", "listenCa",
    ];

    public static readonly string[] Check = ["check", "severity"];
    public static readonly string[] Gate = ["throughputDrop", "p99Rise", "withinTrtFall", "errorRateRise"];

    /// <summary>
    /// The object keys by schema path (<c>[]</c> stands for any list item; a phase item has one key naming its shape).
    /// <c>estate.inline</c> is a population spec, whose keys the population spec reader checks.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ByPath { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [string.Empty] = Root,
        ["estate"] = Estate,
        ["users[]"] = User,
        ["users[].mix[]"] = MixEntry,
        ["users[].targets"] = Targets,
        ["phases[]"] = PhaseShapes,
        ["phases[].constant"] = Constant,
        ["phases[].ramping"] = Ramping,
        ["phases[].step"] = Step,
        ["phases[].diurnal"] = Diurnal,
        ["phases[].pause"] = Pause,
        ["dcc"] = Dcc,
        ["target"] = Target,
        ["target.tls"] = TargetTls,
        ["checks[]"] = Check,
        ["gate"] = Gate,
    };
}

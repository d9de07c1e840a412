using CapacitySim.Devices.Behaviour;

namespace CapacitySim.Devices.Tests.Behaviour;

internal static class BehaviourTestSupport
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Defaults every test starts from; tests append their own sections.</summary>
    public const string BaseYaml = """
        smsWakeUp:
          delayPerSms: 5s
          smsPerRequest: { "4.10": 2 }
        defaults:
          latency:
            smets2:
              north: { median: 4s, p95: 12s }
              central: { median: 3s, p95: 9s }
              south: { median: 3s, p95: 9s }
            smets1:
              default: { median: 8s, p95: 25s }
              serviceProviders:
                SP-B: { percentiles: { 0: 2s, 50: 10s, 90: 20s, 100: 60s } }
          noResponse: 0.05

        """;

    public static BehaviourModel Model(string extraYaml, TestEstate estate, ulong seed = 7)
        => new(BehaviourConfig.Parse(BaseYaml + extraYaml, "test.yaml"), estate, TestEstate.Names, seed, Start);

    /// <summary>Drains everything due up to <paramref name="until"/> through a small buffer, as a live run would.</summary>
    public static List<DeviceEvent> DrainAll(EventGenerator generator, DateTimeOffset until, int bufferSize = 256)
    {
        var result = new List<DeviceEvent>();
        var buffer = new DeviceEvent[bufferSize];
        int n;
        do
        {
            n = generator.Drain(until, buffer);
            result.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        while (n == buffer.Length);

        return result;
    }
}

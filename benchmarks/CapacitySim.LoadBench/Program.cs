using System.Globalization;
using CapacitySim.LoadBench;

// The load benchmark's helpers (benchmarks/load/run.sh drives them):
//   serve  --port P [--stall-after S --stall-ms MS]   the fixed-response DUIS endpoint
//   client --url URL --body FILE --connections N --seconds S [--warmup S]   a .NET HttpClient closed-loop client
//   body   --srv 8.2 --out FILE                       the DUIS request the engine sends for that SRV, rendered once
if (args.Length == 0)
{
    return Usage();
}

var options = new BenchArguments(args[1..]);
return args[0] switch
{
    "serve" => await FixedResponseEndpoint.RunAsync(
        options.Int("--port", 8089),
        TimeSpan.FromSeconds(options.Double("--stall-after", 0)),
        TimeSpan.FromMilliseconds(options.Double("--stall-ms", 0))).ConfigureAwait(false),
    "client" => await ClosedLoopClient.RunAsync(
        new Uri(options.Text("--url")),
        File.ReadAllBytes(options.Text("--body")),
        options.Int("--connections", 16),
        TimeSpan.FromSeconds(options.Double("--warmup", 2)),
        TimeSpan.FromSeconds(options.Double("--seconds", 10))).ConfigureAwait(false),
    "body" => RequestBodyFile.Write(options.Text("--srv"), options.Text("--out")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage: CapacitySim.LoadBench serve|client|body [options] (see benchmarks/load/run.sh)"));
    return 2;
}

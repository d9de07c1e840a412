using CapacitySim.Cli;

// What a load run keeps on .NET's sockets (https targets, the users' receiver, the embedded DCC; plain-HTTP users'
// connections run on the engine's own socket loop on Linux, see SocketLoop) completes on the socket engine's own
// threads instead of handing every completion to the thread pool: a request's answer is then read, recorded and the
// connection's next request sent on the thread that saw the answer arrive, which saves a thread hand-over (a wake-up
// of a parked worker) per request. Inline, the runtime makes one socket thread per core; the run asks for one per
// two cores, leaving the rest to what it shares the machine with (the pacer, the embedded DCC or an endpoint on the same machine): on 2 cores, when the users'
// plain-HTTP connections still ran on .NET's sockets, one socket thread sent 3-7% more than two and spent about 2 µs
// less CPU per request.
// The runtime reads both switches once, when the first socket is made, so they are set here; a value the user set wins.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
const string SocketThreadCount = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";
if (args is ["run" or "replay", ..])
{
    if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
    }

    if (Environment.GetEnvironmentVariable(SocketThreadCount) is null)
    {
        Environment.SetEnvironmentVariable(SocketThreadCount, Math.Max(1, Environment.ProcessorCount / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

return CapacitySimCommand.Run(args);

using CapacitySim.Cli;

// A load run completes its sockets on the socket engine's own threads, one per core, instead of handing every
// completion to the thread pool: a request's answer is then read, recorded and the connection's next request sent
// on the thread that saw the answer arrive, which saves a thread hand-over (a wake-up of a parked worker) per request.
// The runtime reads the switch once, when the first socket is made, so it is set here; a value the user set wins.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (args is ["run" or "replay", ..] && Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}

return CapacitySimCommand.Run(args);

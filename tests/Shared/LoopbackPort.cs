using System.Net;
using System.Net.Sockets;

namespace CapacitySim.Duis.Tests.Support;

/// <summary>Loopback ports for tests that must name a port before anything listens on it.</summary>
internal static class LoopbackPort
{
    /// <summary>
    /// A loopback port nothing listens on once this returns (the system picked it as free and the probe closed it): a
    /// listener started on it a moment later gets it, and a connection to it meanwhile is refused at once.
    /// </summary>
    public static int Unused()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace CivicGrid.Testing;

/// <summary>Loopback ports for the servers the tests start.</summary>
internal static class FreePorts
{
    /// <summary>A port nothing listens on right now (the system's pick; a race with another process is possible but rare).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace Interflow.TestServer;

/// <summary>Free TCP ports on 127.0.0.1 for processes that take a port number rather than 0.</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something listens on the port.</summary>
    public static async Task WaitForListenerAsync(int port, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancel.Token);
            }
        }
    }
}

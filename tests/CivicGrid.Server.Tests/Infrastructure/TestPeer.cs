using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>
/// The in-memory test server has no TCP connection, so no peer address. A request with <see cref="Header"/> gets that
/// address as its connection's remote address before the server's own pipeline runs, as if it had come from there: how
/// tests speak from several addresses, or as a proxy in front of the server.
/// </summary>
public sealed class TestPeer : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary><paramref name="client"/> speaks from <paramref name="address"/> from now on.</summary>
    public static HttpClient From(HttpClient client, string address)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Remove(Header);
        client.DefaultRequestHeaders.Add(Header, address);
        return client;
    }
}

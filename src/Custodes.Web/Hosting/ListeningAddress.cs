using Custodes.Application.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Custodes.Web.Hosting;

/// <summary>The first address this web server listens on: the public address when <c>Custodes:PublicUrl</c> is not set.</summary>
internal sealed class ListeningAddress(IServer server) : IListeningAddress
{
    public string? First => server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
}

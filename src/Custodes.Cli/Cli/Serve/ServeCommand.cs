using System.CommandLine;
using Custodes.Common;
using Custodes.Web.Hosting;
using Custodes.Application.Watch;
using Custodes.Web.Watch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Custodes.Cli.Serve;

/// <summary><c>custodes serve [--urls …] [--syslog 127.0.0.1:5514 --syslog-msp &lt;org&gt;]</c>: the web app and API on one
/// installation (contracts §6), optionally with the loopback syslog listener feeding one MSP's watch events.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (semicolon-separated).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var syslog = new Option<string?>("--syslog") { Description = "Also receive syslog (UDP and TCP) on this loopback address, e.g. 127.0.0.1:5514." };
        var syslogMsp = new Option<string?>("--syslog-msp") { Description = "The MSP organization (id or name) whose events arrive by syslog." };
        var store = new InstallationOptions();
        var command = new Command("serve", "Start the web app and API (embedded SQLite by default, PostgreSQL with --db).") { urls, syslog, syslogMsp };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var settings = new Dictionary<string, string?>();
            if (parse.GetValue(syslog) is { } endpoint)
            {
                SyslogListener.ParseEndpoint(endpoint);
                if (parse.GetValue(syslogMsp) is null) throw new BadInputException("--syslog needs --syslog-msp <org>: the MSP whose events arrive by syslog");
                settings[$"{WatchOptions.Section}:Syslog"] = endpoint;
            }
            var workspace = await store.OpenAsync(parse, ct);
            if (parse.GetValue(syslogMsp) is { } msp)
            {
                var org = await workspace.Organizations.ResolveAsync(msp, ct);
                await workspace.Get<Application.Watch.WatchMspStore>().EnsureAsync(org.Id, ct);
                settings[$"{WatchOptions.Section}:SyslogMsp"] = org.Id.ToString();
            }
            var app = CustodesWebApp.Build(workspace.Installation, parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                b => b.Configuration.AddInMemoryCollection(settings));
            reporter.Err.WriteLine($"custodes: serving {workspace.Installation.Provider} data from {workspace.Installation.DataDirectory} on {parse.GetValue(urls)}" +
                (parse.GetValue(syslog) is { } s ? $"; syslog on udp+tcp {s}" : ""));
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}

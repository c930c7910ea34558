using System.CommandLine;
using Custodes.Web.Hosting;
using Microsoft.Extensions.Hosting;

namespace Custodes.Cli.Serve;

/// <summary><c>custodes serve [--urls …]</c>: the web app and API on one installation (contracts §6).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (semicolon-separated).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var store = new InstallationOptions();
        var command = new Command("serve", "Start the web app and API (embedded SQLite by default, PostgreSQL with --db).") { urls };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var app = CustodesWebApp.Build(workspace.Installation, parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            reporter.Err.WriteLine($"custodes: serving {workspace.Installation.Provider} data from {workspace.Installation.DataDirectory} on {parse.GetValue(urls)}");
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}

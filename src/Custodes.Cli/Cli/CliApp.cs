using System.CommandLine;
using System.Data.Common;
using Custodes.Common;
using Microsoft.Extensions.Options;

namespace Custodes.Cli;

/// <summary>Builds the <c>custodes</c> command tree and maps every outcome to the contract's exit codes.</summary>
internal static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Custodes: independent NIST SP 800-171 / CMMC assessments, signed attestation letters, MSP supply-chain and RMM watch.");
        foreach (var command in Verbs.All()) root.Subcommands.Add(command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, CancellationToken cancellationToken = default)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.BadInput;
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            await stderr.WriteLineAsync($"error: {message}");
            if (Environment.GetEnvironmentVariable("CUSTODES_DEBUG") is "1" or "true") await stderr.WriteLineAsync(e.ToString());
            return code;
        }
    }

    /// <summary>The one place that decides which exit code an exception means.</summary>
    public static (int Code, string Message) Classify(Exception e) => e switch
    {
        BadInputException bad => (ExitCodes.BadInput, bad.Describe()),
        ConflictOfInterestException conflict => (ExitCodes.BadInput, conflict.Message),
        // The use cases' refusals: what was named does not exist, may not be done by whoever asks, or the stored state refuses it.
        NotFoundException or ForbiddenException or ConflictException or PreconditionFailedException => (ExitCodes.BadInput, e.Message),
        // A bad setting (appsettings.json, Custodes__… environment variables): every problem, each naming its key and what it expects.
        OptionsValidationException options => (ExitCodes.BadInput, string.Join("; ", options.Failures)),
        AggregateException { InnerExceptions.Count: > 1 } agg when agg.InnerExceptions.All(i => i is OptionsValidationException)
            => (ExitCodes.BadInput, string.Join("; ", agg.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures))),
        OperationCanceledException => (ExitCodes.Environment, "cancelled"),
        FileNotFoundException f => (ExitCodes.BadInput, $"{f.FileName ?? "file"}: no such file"),
        DirectoryNotFoundException d => (ExitCodes.BadInput, d.Message),
        IOException or UnauthorizedAccessException or DbException or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException
            => (ExitCodes.Environment, e.Message),
        EnvironmentFailureException env => (ExitCodes.Environment, env.Message),
        AggregateException { InnerExceptions.Count: 1 } agg => Classify(agg.InnerExceptions[0]),
        _ when e.InnerException is BadInputException or DbException or IOException => Classify(e.InnerException),
        _ => (ExitCodes.Environment, $"internal error: {e.GetType().Name}: {e.Message}"),
    };
}

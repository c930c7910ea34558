using System.CommandLine;
using Custodes.Application.Accounts;
using Custodes.Common;

namespace Custodes.Cli.Admin;

/// <summary><c>custodes admin reset-password &lt;email&gt; [--password-env VAR]</c>: the way back in when nobody can reset by email.</summary>
internal static class ResetPasswordCommand
{
    public static Command Create()
    {
        var email = new Argument<string>("email");
        var passwordEnv = new Option<string?>("--password-env") { Description = "Name of an environment variable holding the new password; without it a random one is generated and printed." };
        var store = new InstallationOptions();
        var command = new Command("reset-password",
            "Set a user's password, end all their sessions, and make their next sign-in choose a new one. Prints the generated password (only when --password-env is not given).")
            { email, passwordEnv };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var generated = parse.GetValue(passwordEnv) is null;
            var password = parse.GetValue(passwordEnv) is { } variable
                ? Environment.GetEnvironmentVariable(variable) ?? throw new BadInputException($"environment variable {variable} is not set")
                : AccountStore.GeneratePassword();
            var workspace = await store.OpenAsync(parse, ct);
            await workspace.Accounts.AdminResetPasswordAsync(parse.GetValue(email)!, password, $"cli:{Environment.UserName}", ct);
            if (generated) reporter.Out.WriteLine(password);
            reporter.Err.WriteLine($"Password reset; every session of {AccountStore.NormalizeEmail(parse.GetValue(email)!)} ended. The next sign-in must choose a new password.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

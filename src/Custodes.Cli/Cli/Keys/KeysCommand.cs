using System.CommandLine;
using Custodes.Application.Keys;
using Custodes.Attestation;
using Custodes.Cli.Attest;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Cli.Keys;

/// <summary><c>custodes keys generate|register|list</c>: the assessor firms' Ed25519 signing keys and their validity periods (contracts §4).</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Generate a firm's signing key pair, register public keys with validity periods (key rotation), list them.");
        command.Subcommands.Add(Generate());
        command.Subcommands.Add(Register());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Generate()
    {
        var output = new Option<string>("--out") { Required = true, Description = "Directory to write signing.key (PKCS#8 PEM), signing.pub (SubjectPublicKeyInfo PEM) and signing.json (the signer's name)." };
        var name = new Option<string>("--name") { Required = true, Description = "The signer: a person at the firm, or the firm." };
        var passphrase = new Option<string?>("--passphrase-env") { Description = "Encrypt signing.key with the passphrase in this environment variable (PBES2, AES-256, PBKDF2-SHA256)." };
        var json = CommonOptions.Json();
        var command = new Command("generate", "Generate an Ed25519 signing key pair; prints its key id (hex SHA-256 of the public key).") { output, name, passphrase, json };
        command.SetHandler(json, (parse, reporter) =>
        {
            string? secret = null;
            if (parse.GetValue(passphrase) is { } variable)
            {
                secret = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(secret)) throw new BadInputException($"the passphrase variable {variable} is not set");
                if (secret.Length < 12) throw new BadInputException($"the passphrase in {variable} is shorter than 12 characters");
            }
            var directory = parse.GetValue(output)!;
            var key = KeyFiles.Generate(directory, parse.GetValue(name)!, secret, DateTimeOffset.UtcNow);
            if (reporter.Json)
                reporter.WriteJson(new { key_id = key.KeyId, name = parse.GetValue(name), private_key = Path.Combine(directory, KeyFiles.PrivateKeyFile), public_key = Path.Combine(directory, KeyFiles.PublicKeyFile), encrypted = secret is not null });
            else
            {
                reporter.Out.WriteLine(key.KeyId);
                reporter.Err.WriteLine($"wrote {Path.Combine(directory, KeyFiles.PrivateKeyFile)}{(secret is null ? " (unencrypted: keep it offline)" : " (encrypted)")} and {Path.Combine(directory, KeyFiles.PublicKeyFile)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Register()
    {
        var file = new Argument<string>("public-key") { Description = "The firm's signing.pub." };
        var org = new Option<string>("--org") { Required = true, Description = "The firm (organization id or exact name)." };
        var name = new Option<string?>("--name") { Description = "The signer's name; default: the name in signing.json beside the key, else the organization." };
        var notBefore = new Option<string?>("--not-before") { Description = "First moment the key may sign letters (default: now)." };
        var notAfter = new Option<string?>("--not-after") { Description = "Last day the key may sign letters: rotate by registering the new key and giving the old one a not-after. Letters it signed before stay valid." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("register", "Register a firm's public key (or change its validity period); prints the key id.") { file, org, name, notBefore, notAfter, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new BadInputException("no such file", path);
            var key = Ed25519PublicKey.FromPem(await File.ReadAllTextAsync(path, ct), path);
            var workspace = await store.OpenAsync(parse, ct);
            var organization = await workspace.Organizations.ResolveAsync(parse.GetValue(org)!, ct);
            var signer = parse.GetValue(name) ?? KeyFiles.SignerNameBeside(path) ?? organization.Name;
            var registered = await workspace.Get<Application.Keys.SigningKeyRegistry>().RegisterAsync(key, organization.Id, signer,
                parse.GetValue(notBefore) is { } nb ? Dates.Parse(nb, "--not-before") : null,
                parse.GetValue(notAfter) is { } na ? Dates.Parse(na, "--not-after", endOfDay: true) : null,
                Application.Tenant.Operator(organization.Id).Actor, ct);
            if (reporter.Json) reporter.WriteJson(registered);
            else reporter.Out.WriteLine(registered.KeyId);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("list", "List registered signing keys with their organizations and validity periods.") { json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var keys = await workspace.Get<Application.Keys.SigningKeyRegistry>().ListAsync(ct);
            if (reporter.Json) reporter.WriteJson(new { keys });
            else
                foreach (var k in keys)
                    reporter.Line($"{k.KeyId}  {k.Organization} ({k.SignerName})  from {k.NotBefore:yyyy-MM-dd}{(k.NotAfter is { } end ? $" until {end:yyyy-MM-dd}" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

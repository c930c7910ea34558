using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Application;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Transparency;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Cli.Tests;

public sealed class AttestCommandTests : IDisposable
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Firm = "Northgate Security Assessors LLC";
    private const string PassphraseVariable = "CUSTODES_TEST_KEY_PASSPHRASE";
    private readonly string _dir = Cli.TempDirectory();

    public AttestCommandTests()
    {
        Directory.CreateDirectory(_dir);
        Environment.SetEnvironmentVariable(PassphraseVariable, "a long signing-key passphrase");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string[] Store(TestInstallation test, params string[] args) =>
        [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];

    private string Path_(string name) => Path.Combine(_dir, name);

    private async Task<string> GenerateKeysAsync(string folder = "keys", bool encrypted = true)
    {
        var result = await Cli.RunAsync(["keys", "generate", "--out", Path_(folder), "--name", "Ana Ruiz", .. encrypted ? new[] { "--passphrase-env", PassphraseVariable } : []]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Trim();
    }

    /// <summary>The assessor firm the letters are issued as (an issuer is an existing assessor organization); its id.</summary>
    private static async Task<string> CreateFirmAsync(TestInstallation test)
    {
        var created = await Cli.RunAsync(Store(test, "admin", "create-org", Firm, "--kind", "assessor"));
        Assert.True(created.ExitCode == 0, created.Stderr);
        return created.Stdout.Trim();
    }

    private async Task<(Guid LetterId, string File)> IssueAsync(TestInstallation test, string keys = "keys", string assessment = "", string name = "letter.json", int validDays = 365)
    {
        await using (var db = test.Installation.OpenDb())
            if (!db.Organizations.Any(o => o.Kind == "assessor" && o.Name == Firm)) await CreateFirmAsync(test);
        var output = Path_(name);
        var result = await Cli.RunAsync(Store(test, "attest", "issue", "--assessment", assessment.Length > 0 ? assessment : Cli.Sample("assessments", "example-msp.json"),
            "--key", Path.Combine(Path_(keys), "signing.key"), "--passphrase-env", PassphraseVariable, "--issuer", Firm, "--valid-days", validDays.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output));
        Assert.True(result.ExitCode == 0, result.Stderr);
        return (Guid.Parse(result.Stdout.Trim()), output);
    }

    private async Task<(int Code, JsonElement Json)> VerifyAsync(string letter, params string[] extra)
    {
        var result = await Cli.RunAsync(["attest", "verify", letter, "--key", Path.Combine(Path_("keys"), "signing.pub"), "--json", .. extra]);
        Assert.True(result.Stdout.TrimStart().StartsWith('{'), $"exit {result.ExitCode}: {result.Stdout}\n{result.Stderr}");
        return (result.ExitCode, JsonDocument.Parse(result.Stdout).RootElement.Clone());
    }

    private static string[] Codes(JsonElement verification) => [.. verification.GetProperty("errors").EnumerateArray().Select(e => LetterErrors.CodeOf(e.GetString()!))];

    /// <summary>Writes a copy of the letter with one character changed where <paramref name="select"/> points.</summary>
    private string Flip(string letter, string name, Func<JsonNode, (JsonNode Parent, string Key)> select)
    {
        var json = JsonNode.Parse(File.ReadAllText(letter))!;
        var (parent, key) = select(json);
        var text = parent is JsonArray array ? (string)array[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)]! : (string)parent[key]!;
        var i = text.Length / 2;
        var changed = text[..i] + (text[i] == 'A' ? 'B' : 'A') + text[(i + 1)..];
        if (parent is JsonArray list) list[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] = changed;
        else parent[key] = changed;
        File.WriteAllText(Path_(name), json.ToJsonString());
        return Path_(name);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Keys_issue_and_offline_verification_work_end_to_end_and_every_flipped_byte_is_a_named_failure(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var keyId = await GenerateKeysAsync();
        Assert.Matches("^[0-9a-f]{64}$", keyId);
        Assert.Contains("ENCRYPTED PRIVATE KEY", File.ReadAllText(Path.Combine(Path_("keys"), "signing.key")));
        Assert.Equal(keyId, Ed25519PublicKey.FromPem(File.ReadAllText(Path.Combine(Path_("keys"), "signing.pub"))).KeyId);

        await IssueAsync(test, name: "first.json"); // so the letter's proof has a hash to change
        var (letterId, letter) = await IssueAsync(test);
        var (code, json) = await VerifyAsync(letter);
        Assert.Equal(0, code);
        foreach (var field in new[] { "valid", "signature", "expired", "revoked", "inclusion", "issuer", "subject_organization", "score", "valid_until", "errors" })
            Assert.True(json.TryGetProperty(field, out _), $"contract field {field} is missing");
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal("ok", json.GetProperty("signature").GetString());
        Assert.False(json.GetProperty("expired").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("revoked").ValueKind);
        Assert.Equal("unchecked", json.GetProperty("inclusion").GetString()); // offline, without the log's key
        Assert.Equal(Firm, json.GetProperty("issuer").GetString());
        Assert.Equal("Granite Peak Managed IT LLC", json.GetProperty("subject_organization").GetString());
        Assert.Equal(103, json.GetProperty("score").GetInt32());
        Assert.Empty(Codes(json));
        Assert.Equal(letterId.ToString(), json.GetProperty("letter_id").GetString());

        // The statement's subject digest is SHA-256 of the assessment's RFC 8785 form.
        var bundle = LetterBundle.Parse(File.ReadAllBytes(letter));
        var statement = InTotoStatement.Parse(bundle.Envelope.Payload.Span);
        var expectedDigest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CanonicalJson.Canonicalize(File.ReadAllBytes(Cli.Sample("assessments", "example-msp.json")))));
        Assert.Equal(expectedDigest, statement.Subject[0].Digest["sha256"]);
        Assert.Equal("Granite Peak Managed IT LLC", statement.Subject[0].Name);
        Assert.Contains("Independence:", LetterPredicate.FromJson(statement.Predicate).Statement);

        var logKey = (await Cli.RunAsync(Store(test, "log", "verifier-key"))).Stdout.Trim();
        Assert.Matches(@"^custodes\.local/log/[0-9a-f]{8}\+[0-9a-f]{8}\+A[Q-f][A-Za-z0-9+/]{42}$", logKey); // base64 of 0x01 ‖ 32 key bytes
        var (withLogKeyCode, withLogKey) = await VerifyAsync(letter, "--log-key", logKey);
        Assert.Equal(0, withLogKeyCode);
        Assert.Equal("ok", withLogKey.GetProperty("inclusion").GetString());

        var payload = Flip(letter, "payload.json", j => (j["envelope"]!, "payload"));
        var (payloadCode, payloadJson) = await VerifyAsync(payload);
        Assert.Equal(1, payloadCode);
        Assert.Equal("bad", payloadJson.GetProperty("signature").GetString());
        Assert.Equal(LetterErrors.SignatureInvalid, Codes(payloadJson)[0]);

        var proof = Flip(letter, "proof.json", j => (j["transparency"]!["inclusion_proof"]!, "0"));
        var (proofCode, proofJson) = await VerifyAsync(proof, "--log-key", logKey);
        Assert.Equal(1, proofCode);
        Assert.Equal("bad", proofJson.GetProperty("inclusion").GetString());
        Assert.Equal([LetterErrors.InclusionProofMismatch], Codes(proofJson));

        var checkpoint = Path_("checkpoint.json");
        var json2 = JsonNode.Parse(File.ReadAllText(letter))!;
        var note = (string)json2["transparency"]!["checkpoint"]!;
        json2["transparency"]!["checkpoint"] = note.Replace("\n2\n", "\n3\n"); // claim a bigger tree
        File.WriteAllText(checkpoint, json2.ToJsonString());
        var (checkpointCode, checkpointJson) = await VerifyAsync(checkpoint, "--log-key", logKey);
        Assert.Equal(1, checkpointCode);
        Assert.Equal([LetterErrors.CheckpointSignatureInvalid], Codes(checkpointJson));

        await GenerateKeysAsync("other", encrypted: false);
        var other = await Cli.RunAsync(["attest", "verify", letter, "--key", Path.Combine(Path_("other"), "signing.pub"), "--json"]);
        Assert.Equal(1, other.ExitCode);
        Assert.Equal([LetterErrors.SignatureWrongKey], Codes(JsonDocument.Parse(other.Stdout).RootElement));

        var (expiredCode, expired) = await VerifyAsync(letter, "--at", DateTime.UtcNow.AddDays(400).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, expiredCode);
        Assert.True(expired.GetProperty("expired").GetBoolean());
        Assert.Equal([LetterErrors.LetterExpired], Codes(expired));

        var notALetter = await Cli.RunAsync(["attest", "verify", Cli.Sample("assessments", "example-msp.json"), "--key", Path.Combine(Path_("keys"), "signing.pub"), "--json"]);
        Assert.Equal(2, notALetter.ExitCode);

        var audit = await Cli.RunAsync(Store(test, "log", "verify", "--json"));
        Assert.True(audit.ExitCode == 0, audit.Stdout + audit.Stderr);
        var inclusion = JsonDocument.Parse((await Cli.RunAsync(Store(test, "log", "prove-inclusion", "1", "--json"))).Stdout).RootElement;
        Assert.Equal(bundle.Transparency!.InclusionProof.Select(h => h.ToBase64()), inclusion.GetProperty("proof").EnumerateArray().Select(h => h.GetString()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_letter_in_a_log_of_its_forgers_own_is_unchecked_offline_and_bad_with_the_real_log_key(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await GenerateKeysAsync();
        var (_, letter) = await IssueAsync(test);
        var logKey = (await Cli.RunAsync(Store(test, "log", "verifier-key"))).Stdout.Trim();

        // Someone holding a signed letter that the firm never logged (or a copy of a real one) makes a one-entry "log" of their own
        // under the real log's origin and signs its checkpoint with a key of their own: the proof is self-consistent.
        var real = LetterBundle.Parse(File.ReadAllBytes(letter));
        var forged = new MemoryLog();
        var index = forged.Append(Letter.LogEntry(real.Envelope));
        using var forgerKey = Ed25519SigningKey.Generate();
        using var forger = NoteSigner.Create(real.Transparency!.Origin, forgerKey);
        var checkpoint = new CheckpointSigner(forger).Sign(real.Transparency.Origin, forged.Size, forged.TreeHash());
        var path = Path_("forged.json");
        File.WriteAllBytes(path, Letter.Bundle(real.Envelope, real.Transparency.Origin, index, forged.ProveInclusion(forged.Size, index), checkpoint).ToUtf8Bytes());

        var (_, offline) = await VerifyAsync(path);
        Assert.Equal("unchecked", offline.GetProperty("inclusion").GetString());
        var text = await Cli.RunAsync(["attest", "verify", path, "--key", Path.Combine(Path_("keys"), "signing.pub")]);
        Assert.Contains("log proof    unchecked:", text.Stdout);
        Assert.Contains("--log-key", text.Stdout);

        var (code, checkedJson) = await VerifyAsync(path, "--log-key", logKey);
        Assert.Equal(1, code);
        Assert.False(checkedJson.GetProperty("valid").GetBoolean());
        Assert.Equal("bad", checkedJson.GetProperty("inclusion").GetString());
        Assert.Equal([LetterErrors.CheckpointWrongKey], Codes(checkedJson));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Online_verification_against_the_served_log_sees_consistency_and_revocation(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await GenerateKeysAsync();
        var (letterId, letter) = await IssueAsync(test);
        await IssueAsync(test, name: "second.json"); // the log grows past the letter's checkpoint

        var (app, address) = await CustodesWebApp.StartOnLoopbackAsync(Installation.Open(test.DataDirectory, test.Database), b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        try
        {
            var url = address.ToString().TrimEnd('/');
            var (code, json) = await VerifyAsync(letter, "--log", url);
            Assert.True(code == 0, json.ToString());
            Assert.True(json.GetProperty("online").GetBoolean());
            Assert.False(json.GetProperty("revoked").GetBoolean());
            Assert.Equal("ok", json.GetProperty("log").GetProperty("consistency").GetString());
            Assert.Equal(1, json.GetProperty("log").GetProperty("checkpoint_size").GetInt64());
            Assert.Equal(2, json.GetProperty("log").GetProperty("current_size").GetInt64());

            var revoke = await Cli.RunAsync(Store(test, "attest", "revoke", letterId.ToString(), "--reason", "Assessment scope was misstated", "--key", Path.Combine(Path_("keys"), "signing.key"), "--passphrase-env", PassphraseVariable));
            Assert.True(revoke.ExitCode == 0, revoke.Stderr);
            Assert.Equal("2", revoke.Stdout.Trim());
            var again = await Cli.RunAsync(Store(test, "attest", "revoke", letterId.ToString(), "--reason", "twice"));
            Assert.Equal(2, again.ExitCode);

            var (revokedCode, revoked) = await VerifyAsync(letter, "--log", url);
            Assert.Equal(1, revokedCode);
            Assert.True(revoked.GetProperty("revoked").GetBoolean());
            Assert.Equal([LetterErrors.LetterRevoked], Codes(revoked));
            Assert.Equal("Assessment scope was misstated", revoked.GetProperty("revocation_reason").GetString());
            Assert.True(revoked.GetProperty("revocation_proved").GetBoolean());
            Assert.Equal(2, revoked.GetProperty("revocation_index").GetInt64());

            // As of a date before the revocation, the letter was valid.
            Assert.Equal(0, (await VerifyAsync(letter, "--log", url, "--at", DateTime.UtcNow.AddMinutes(-1).ToString("O"))).Code);

            var human = await Cli.RunAsync(["attest", "verify", letter, "--key", Path.Combine(Path_("keys"), "signing.pub"), "--log", url]);
            Assert.Equal(1, human.ExitCode);
            Assert.Contains("NOT VALID", human.Stdout);
            Assert.Contains("Assessment scope was misstated", human.Stdout);
            Assert.StartsWith("revoked", (await Cli.RunAsync(Store(test, "attest", "status", letterId.ToString()))).Stdout);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        // The server is gone: the log cannot be reached.
        var unreachable = await Cli.RunAsync(["attest", "verify", letter, "--key", Path.Combine(Path_("keys"), "signing.pub"), "--log", "http://127.0.0.1:9", "--json"]);
        Assert.Equal(3, unreachable.ExitCode);
        Assert.Contains("log_unreachable", unreachable.Stderr);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Issuers_in_separate_processes_never_fork_the_log(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await GenerateKeysAsync(encrypted: false);
        await IssueAsync(test, name: "first.json"); // the schema, the firm and the log key exist before the race
        var cli = Path.Combine(AppContext.BaseDirectory, "custodes.dll");
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in Store(test, cli, "attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"), "--key", Path.Combine(Path_("keys"), "signing.key"),
                "--issuer", Firm, "--out", Path_($"parallel-{i}.json"))) start.ArgumentList.Add(arg);
            using var process = System.Diagnostics.Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        })));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Item3));
        var indexes = Enumerable.Range(0, 4).Select(i => LetterBundle.Parse(File.ReadAllBytes(Path_($"parallel-{i}.json"))).Transparency!.Index).Order().ToArray();
        Assert.Equal([1L, 2, 3, 4], indexes);
        var audit = await Cli.RunAsync(Store(test, "log", "verify", "--json"));
        Assert.True(audit.ExitCode == 0, audit.Stdout);
        Assert.Equal(5, JsonDocument.Parse(audit.Stdout).RootElement.GetProperty("checkpoints_checked").GetInt32());
        var logKey = (await Cli.RunAsync(Store(test, "log", "verifier-key"))).Stdout.Trim();
        for (var i = 0; i < 4; i++) Assert.Equal(0, (await VerifyAsync(Path_($"parallel-{i}.json"), "--log-key", logKey)).Code);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Incomplete_or_unscored_assessments_are_refused_with_the_reason(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await GenerateKeysAsync();
        var example = JsonNode.Parse(File.ReadAllText(Cli.Sample("assessments", "example-msp.json")))!;
        var incomplete = example.DeepClone();
        incomplete["requirements"]!.AsObject().Remove("3.1.1");
        File.WriteAllText(Path_("incomplete.json"), incomplete.ToJsonString());
        var noSsp = example.DeepClone();
        noSsp["ssp"] = false;
        File.WriteAllText(Path_("no-ssp.json"), noSsp.ToJsonString());

        foreach (var (file, expected) in new[] { ("incomplete.json", "incomplete"), ("no-ssp.json", "no score") })
        {
            var result = await Cli.RunAsync(Store(test, "attest", "issue", "--assessment", Path_(file), "--key", Path.Combine(Path_("keys"), "signing.key"),
                "--passphrase-env", PassphraseVariable, "--issuer", Firm, "--out", Path_("refused.json")));
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(expected, result.Stderr);
            Assert.False(File.Exists(Path_("refused.json")));
        }
        Assert.Equal(0, JsonDocument.Parse((await Cli.RunAsync(Store(test, "attest", "list", "--json"))).Stdout).RootElement.GetProperty("letters").GetArrayLength());

        var wrongPassphrase = await Cli.RunAsync(Store(test, "attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"), "--key", Path.Combine(Path_("keys"), "signing.key"), "--issuer", Firm, "--out", Path_("x.json")));
        Assert.Equal(2, wrongPassphrase.ExitCode);
        Assert.Contains("--passphrase-env", wrongPassphrase.Stderr);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Key_rotation_retires_a_key_for_new_letters_and_old_letters_keep_verifying(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var oldKey = await GenerateKeysAsync();
        var org = (await Cli.RunAsync(Store(test, "admin", "create-org", Firm, "--kind", "assessor"))).Stdout.Trim();
        var since = DateTime.UtcNow.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(oldKey, (await Cli.RunAsync(Store(test, "keys", "register", Path.Combine(Path_("keys"), "signing.pub"), "--org", org, "--not-before", since))).Stdout.Trim());
        var (_, oldLetter) = await IssueAsync(test);
        var newKey = await GenerateKeysAsync("keys2");

        Assert.Equal(newKey, (await Cli.RunAsync(Store(test, "keys", "register", Path.Combine(Path_("keys2"), "signing.pub"), "--org", Firm))).Stdout.Trim());
        var retire = await Cli.RunAsync(Store(test, "keys", "register", Path.Combine(Path_("keys"), "signing.pub"), "--org", Firm, "--not-after", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(retire.ExitCode == 0, retire.Stderr);

        var refused = await Cli.RunAsync(Store(test, "attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"), "--key", Path.Combine(Path_("keys"), "signing.key"),
            "--passphrase-env", PassphraseVariable, "--issuer", Firm, "--out", Path_("refused.json")));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("retired", refused.Stderr);

        var (_, newLetter) = await IssueAsync(test, keys: "keys2", name: "new.json");
        Assert.Equal(0, (await VerifyAsync(oldLetter)).Code);
        Assert.Equal(0, (await Cli.RunAsync(["attest", "verify", newLetter, "--key", Path.Combine(Path_("keys2"), "signing.pub")])).ExitCode);

        var keys = JsonDocument.Parse((await Cli.RunAsync(Store(test, "keys", "list", "--json"))).Stdout).RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        var retired = keys.Single(k => k.GetProperty("key_id").GetString() == oldKey);
        Assert.NotEqual(JsonValueKind.Null, retired.GetProperty("not_after").ValueKind);
        Assert.Equal("Ana Ruiz", retired.GetProperty("signer_name").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Log_verify_names_a_fork_from_a_saved_checkpoint_and_a_checkpoint_by_another_key(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await GenerateKeysAsync();
        await IssueAsync(test);
        var saved = Path_("saved-checkpoint.txt");
        File.WriteAllText(saved, (await Cli.RunAsync(Store(test, "log", "checkpoint"))).Stdout);
        await IssueAsync(test, name: "second.json");
        var ok = await Cli.RunAsync(Store(test, "log", "verify", "--checkpoint", saved, "--json"));
        Assert.True(ok.ExitCode == 0, ok.Stdout);
        Assert.Equal(1, JsonDocument.Parse(ok.Stdout).RootElement.GetProperty("saved_checkpoint_size").GetInt64());

        // The log's own key signed another tree of the same size: a fork.
        using var logKey = Ed25519SigningKey.FromPem(File.ReadAllText(Path.Combine(test.DataDirectory, "keys", "log.key")));
        var origin = (await Cli.RunAsync(Store(test, "log", "verifier-key"))).Stdout.Trim().Split('+')[0];
        var forked = Path_("forked.txt");
        File.WriteAllText(forked, new CheckpointSigner(NoteSigner.Create(origin, logKey)).Sign(origin, 1, MerkleHash.OfLeaf("another history"u8)));
        var fork = await Cli.RunAsync(Store(test, "log", "verify", "--checkpoint", forked, "--json"));
        Assert.Equal(1, fork.ExitCode);
        Assert.Equal([LogErrors.Forked], JsonDocument.Parse(fork.Stdout).RootElement.GetProperty("errors").EnumerateArray().Select(e => LetterErrors.CodeOf(e.GetString()!)));

        using var stranger = Ed25519SigningKey.Generate();
        var foreign = Path_("foreign.txt");
        File.WriteAllText(foreign, new CheckpointSigner(NoteSigner.Create(origin, stranger)).Sign(origin, 1, MerkleHash.OfLeaf("x"u8)));
        var wrongKey = await Cli.RunAsync(Store(test, "log", "verify", "--checkpoint", foreign));
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains(LogErrors.CheckpointWrongKey, wrongKey.Stdout);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_stored_assessment_is_attested_by_id_and_the_letter_renders_as_HTML_with_a_QR_code(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await GenerateKeysAsync();
        var org = (await Cli.RunAsync(Store(test, "admin", "create-org", Firm, "--kind", "assessor"))).Stdout.Trim();
        var id = (await Cli.RunAsync(Store(test, "assessment", "import", Cli.Sample("assessments", "example-msp.json"), "--org", org))).Stdout.Trim();
        var (letterId, letter) = await IssueAsync(test, assessment: id);
        Assert.Equal(0, (await VerifyAsync(letter)).Code);

        var html = Path_("letter.html");
        var render = await Cli.RunAsync(["attest", "render", letter, "--out", html, "--base-url", "https://assessor.example"]);
        Assert.True(render.ExitCode == 0, render.Stderr);
        var page = File.ReadAllText(html, Encoding.UTF8);
        Assert.Contains("Granite Peak Managed IT LLC", page);
        Assert.Contains($"https://assessor.example/letters/{letterId}", page);
        Assert.Contains("<svg", page);
        Assert.Contains("Independence", page);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_letter_renders_as_a_PDF_with_subject_score_fingerprint_log_index_and_verification_URL(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var keyId = await GenerateKeysAsync();
        await IssueAsync(test, name: "first.json");
        var (letterId, letter) = await IssueAsync(test);
        var bundle = LetterBundle.Parse(File.ReadAllBytes(letter), letter);
        var predicate = LetterPredicate.FromJson(InTotoStatement.Parse(bundle.Envelope.Payload.Span).Predicate);

        var pdf = Path_("letter.pdf");
        var render = await Cli.RunAsync(["attest", "render", letter, "--out", pdf, "--base-url", "https://assessor.example"]);
        Assert.True(render.ExitCode == 0, render.Stderr);
        Assert.StartsWith("%PDF-", File.ReadAllText(pdf, Encoding.Latin1));
        var text = ExternalTools.PdfText(File.ReadAllBytes(pdf));
        Assert.Contains("Subject: Granite Peak Managed IT LLC", text);
        Assert.Contains($"{predicate.Score.GetInt32()} of 110", text);
        // The fingerprint is printed in groups of eight and may wrap: compare it without the spacing.
        Assert.Contains(keyId, System.Text.RegularExpressions.Regex.Replace(text, @"\s+", ""));
        Assert.Equal(1, bundle.Transparency!.Index);
        Assert.Matches(@"Log index\s+1\b", text);
        Assert.Contains($"https://assessor.example/letters/{letterId}", text);

        // --format wins over the extension, and the HTML is still the default.
        var forced = Path_("letter.out");
        Assert.Equal(0, (await Cli.RunAsync(["attest", "render", letter, "--out", forced, "--format", "pdf"])).ExitCode);
        Assert.StartsWith("%PDF-", File.ReadAllText(forced, Encoding.Latin1));
        var html = Path_("letter.page");
        Assert.Equal(0, (await Cli.RunAsync(["attest", "render", letter, "--out", html])).ExitCode);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html, Encoding.UTF8), StringComparison.OrdinalIgnoreCase);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Scenario_MSP_signing_its_own_letter_is_exit_2_naming_the_conflict_and_logs_nothing(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await GenerateKeysAsync();
        var example = JsonNode.Parse(File.ReadAllText(Cli.Sample("assessments", "example-msp.json")))!;
        example["organization"] = "Scenario MSP";
        File.WriteAllText(Path_("scenario.json"), example.ToJsonString());
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "admin", "create-org", "Scenario MSP", "--kind", "msp"))).ExitCode);
        string[] Issue(string issuer) => Store(test, "attest", "issue", "--assessment", Path_("scenario.json"), "--key", Path.Combine(Path_("keys"), "signing.key"),
            "--passphrase-env", PassphraseVariable, "--issuer", issuer, "--out", Path_("own.json"));

        // The issue's reproduction: this exited 0 and logged a letter the MSP signed for itself.
        var own = await Cli.RunAsync(Issue("Scenario MSP"));
        Assert.Equal(2, own.ExitCode);
        Assert.Contains("'Scenario MSP' is an IT provider (MSP), not an assessor firm", own.Stderr);
        // An assessor organization the MSP registers under its own name is still the assessed organization.
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "admin", "create-org", "Scenario MSP", "--kind", "assessor"))).ExitCode);
        var twin = await Cli.RunAsync(Issue("Scenario MSP"));
        Assert.Equal(2, twin.ExitCode);
        Assert.Contains("is the assessed organization itself", twin.Stderr);
        // A firm name the installation does not know is no longer created on the fly.
        var unknown = await Cli.RunAsync(Issue("Brand New Assessors"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("create it first", unknown.Stderr);
        Assert.False(File.Exists(Path_("own.json")));
        Assert.Equal(0, JsonDocument.Parse((await Cli.RunAsync(Store(test, "attest", "list", "--json"))).Stdout).RootElement.GetProperty("letters").GetArrayLength());
        await using var db = test.Installation.OpenDb();
        Assert.Equal(0, db.LogEntries.Count());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Issue_takes_the_issuer_by_organization_id_and_asks_for_the_id_when_its_name_is_shared(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await GenerateKeysAsync();
        var org = (await Cli.RunAsync(Store(test, "admin", "create-org", Firm, "--kind", "assessor"))).Stdout.Trim();
        // An installation from before names were unique may hold a second firm of the same name.
        var twin = Guid.NewGuid();
        await using (var db = test.Installation.OpenDb())
        {
            db.Organizations.Add(new Custodes.Application.Database.OrganizationRow { Id = twin, Name = Firm.ToUpperInvariant(), Kind = "assessor", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        string[] Issue(string issuer, string output) => Store(test, "attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"),
            "--key", Path.Combine(Path_("keys"), "signing.key"), "--passphrase-env", PassphraseVariable, "--issuer", issuer, "--out", Path_(output));

        var ambiguous = await Cli.RunAsync(Issue(Firm, "ambiguous.json"));
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains(org, ambiguous.Stderr);
        Assert.Contains(twin.ToString(), ambiguous.Stderr);
        Assert.Contains("give --issuer the id", ambiguous.Stderr);
        Assert.False(File.Exists(Path_("ambiguous.json")));

        var byId = await Cli.RunAsync(Issue(org, "by-id.json"));
        Assert.True(byId.ExitCode == 0, byId.Stderr);
        var (_, verified) = await VerifyAsync(Path_("by-id.json"));
        Assert.Equal(Firm, verified.GetProperty("issuer").GetString());
        Assert.Equal(2, (await Cli.RunAsync(Issue(Guid.NewGuid().ToString(), "unknown.json"))).ExitCode);
    }
}

/// <summary>Revoking from the command line takes a real reason, and a revoked letter rendered from its installation says REVOKED on page one.</summary>
public sealed class AttestRevocationCommandTests : IDisposable
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private readonly string _dir = Cli.TempDirectory();

    public AttestRevocationCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string[] Store(TestInstallation test, params string[] args) =>
        [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];

    [Theory, MemberData(nameof(Providers))]
    public async Task A_blank_reason_is_exit_2_naming_the_option_and_the_rendered_revoked_letter_says_REVOKED_on_its_first_page(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var keys = Path.Combine(_dir, "keys");
        Assert.Equal(0, (await Cli.RunAsync(["keys", "generate", "--out", keys, "--name", "Ana Ruiz"])).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate Security Assessors LLC", "--kind", "assessor"))).ExitCode);
        var letter = Path.Combine(_dir, "letter.json");
        var issued = await Cli.RunAsync(Store(test, "attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"), "--key", Path.Combine(keys, "signing.key"),
            "--issuer", "Northgate Security Assessors LLC", "--valid-days", "365", "--out", letter));
        Assert.True(issued.ExitCode == 0, issued.Stderr);
        var letterId = issued.Stdout.Trim();

        foreach (var blank in new[] { "", "   " })
        {
            var refused = await Cli.RunAsync(Store(test, "attest", "revoke", letterId, "--reason", blank));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("--reason", refused.Stderr);
            Assert.Contains("is empty", refused.Stderr);
        }
        Assert.Equal("valid", (await Cli.RunAsync(Store(test, "attest", "status", letterId))).Stdout.Trim());

        var revoked = await Cli.RunAsync(Store(test, "attest", "revoke", letterId, "--reason", "Scope was misstated"));
        Assert.True(revoked.ExitCode == 0, revoked.Stderr);
        var pdf = Path.Combine(_dir, "letter.pdf");
        var render = await Cli.RunAsync(Store(test, "attest", "render", letter, "--out", pdf));
        Assert.True(render.ExitCode == 0, render.Stderr);
        Assert.Contains("REVOKED", render.Stderr);
        var firstPage = ExternalTools.Run("pdftotext", "-f", "1", "-l", "1", "-layout", pdf, "-");
        Assert.Contains("REVOKED", firstPage);
        var words = string.Join(' ', firstPage.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"This letter was revoked on \d{1,2} \w+ \d{4} by Northgate Security Assessors LLC: Scope was misstated\. Do not rely on it\.", words);

        // The same letter rendered without its installation is the letter as signed: nothing to say it was revoked.
        var plain = Path.Combine(_dir, "plain.pdf");
        Assert.Equal(0, (await Cli.RunAsync(["attest", "render", letter, "--out", plain])).ExitCode);
        Assert.DoesNotContain("REVOKED", ExternalTools.PdfText(File.ReadAllBytes(plain)));
        var html = Path.Combine(_dir, "letter.html");
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "attest", "render", letter, "--out", html))).ExitCode);
        var page = File.ReadAllText(html);
        Assert.Contains("class=\"verdict bad\"", page);
        Assert.Contains("<style>", page); // a file on its own carries its stylesheet
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Application;
using Custodes.Application.Transparency;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using Custodes.Web.Letters;

namespace Custodes.Cli.Attest;

/// <summary><c>custodes attest issue|verify|revoke|render|status|list</c>: signed letters of attestation in the transparency log (contracts §4).</summary>
internal static class AttestCommand
{
    public const string DefaultBaseUrl = "http://127.0.0.1:8080";

    public static Command Create()
    {
        var command = new Command("attest", "Issue, verify, revoke and render signed letters of attestation recorded in the transparency log.");
        command.Subcommands.Add(Issue());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Revoke());
        command.Subcommands.Add(Render());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Issue()
    {
        var assessment = new Option<string>("--assessment") { Required = true, Description = "The assessment: a custodes.assessment/v1 file, or the id of an assessment stored in the installation." };
        var key = new Option<string>("--key") { Required = true, Description = "The firm's signing.key." };
        var passphrase = new Option<string?>("--passphrase-env") { Description = "Environment variable holding the key's passphrase (when signing.key is encrypted)." };
        var issuer = new Option<string>("--issuer") { Required = true, Description = "The assessor firm: the id or name of an existing organization of kind assessor (custodes admin create-org <name> --kind assessor), never the assessed organization, one it manages, or its provider in a stored portfolio." };
        var validDays = new Option<int>("--valid-days") { Description = "Days the letter stays in force.", DefaultValueFactory = _ => 365 };
        var output = new Option<string>("--out") { Required = true, Description = "Where to write the letter file (letter.json)." };
        var signer = new Option<string?>("--signer-name") { Description = "Signer's name for the key registry when the key is new (default: signing.json beside the key, else the issuer)." };
        var independence = new Option<string?>("--independence") { Description = "The independence statement the lead assessor confirms (default: the standard one: no ownership interest, did not design, implement or operate the controls, fee not contingent on the result)." };
        var lead = new Option<string?>("--lead-assessor") { Description = "The lead assessor named in the letter (default: the signer's name)." };
        var c3pao = new Option<string?>("--c3pao-id") { Description = "The firm's C3PAO identifier, for a CMMC assessment." };
        var limitations = new Option<string?>("--limitations") { Description = "The letter's limitations (default: a standard point-in-time statement)." };
        var supersedes = new Option<Guid?>("--supersedes") { Description = "The id of the letter this one replaces (same organization and framework), e.g. the conditional letter a POA&M closeout assessment finalizes. The old letter is then shown as superseded; it is not revoked." };
        var artifacts = new Option<string?>("--artifacts") { Description = "The artifact hash list (custodes report artifact-hashes) whose SHA-256 the letter carries, tying it to the exact artifacts examined." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("issue", "Sign a letter of attestation for a complete assessment, record it in the log and write the letter file; prints the letter id.")
            { assessment, key, passphrase, issuer, validDays, output, signer, independence, lead, c3pao, limitations, supersedes, artifacts, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var source = parse.GetValue(assessment)!;
            var parsed = await AssessmentInput.LoadAsync(source, parse, store, ct);
            Guid? storedId = !File.Exists(source) && Guid.TryParse(source, out var id) ? id : null;
            var workspace = await store.OpenAsync(parse, ct);
            var keyPath = parse.GetValue(key)!;
            using var signingKey = workspace.Get<Application.Keys.ISigningKeyProvider>().Load(new KeyReference(keyPath, parse.GetValue(passphrase)));
            var issued = await workspace.Get<Application.Letters.IssueLetter>().HandleAsync(new IssueLetterRequest
            {
                Assessment = parsed,
                Source = storedId is null ? source : $"assessment {storedId}",
                AssessmentId = storedId,
                Key = signingKey,
                Issuer = parse.GetValue(issuer)!,
                SignerName = parse.GetValue(signer) ?? KeyFiles.SignerNameBeside(keyPath),
                ValidDays = parse.GetValue(validDays),
                Independence = parse.GetValue(independence),
                LeadAssessor = parse.GetValue(lead),
                C3paoId = parse.GetValue(c3pao),
                Limitations = parse.GetValue(limitations),
                Supersedes = parse.GetValue(supersedes),
                ArtifactsSha256 = parse.GetValue(artifacts) is { } list ? await ArtifactListHashAsync(list, ct) : null,
                Actor = $"cli:{Environment.UserName}",
            }, ct);
            var path = parse.GetValue(output)!;
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null) Directory.CreateDirectory(directory);
            await File.WriteAllBytesAsync(path, issued.ToUtf8Bytes(), ct);
            var t = issued.Bundle.Transparency!;
            if (reporter.Json)
                reporter.WriteJson(new { letter_id = issued.LetterId, log_index = issued.LogIndex, origin = t.Origin, key_id = issued.KeyId, key_registered = issued.KeyRegistered, @out = path });
            else
            {
                reporter.Out.WriteLine(issued.LetterId);
                if (issued.KeyRegistered) reporter.Err.WriteLine($"note: registered signing key {issued.KeyId} for '{parse.GetValue(issuer)}' from now on");
                reporter.Err.WriteLine($"letter {issued.LetterId} is entry {issued.LogIndex} of {t.Origin}; written to {path}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The SHA-256 of an artifact hash list file, after checking it is one (its own last line names the same hash).</summary>
    private static async Task<string> ArtifactListHashAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new BadInputException("no such file", path);
        return Custodes.Reports.Artifacts.ArtifactHashList.Check(await File.ReadAllBytesAsync(path, cancellationToken), path);
    }

    private static Command Verify()
    {
        var file = new Argument<string>("letter") { Description = "The letter file (letter.json)." };
        var key = new Option<string>("--key") { Required = true, Description = "The assessor firm's public key (signing.pub), obtained from the firm." };
        var log = new Option<string?>("--log") { Description = "The log's server (e.g. https://assessor.example): also check the log's current checkpoint, its consistency with the letter's, and revocation." };
        var logKey = new Option<string?>("--log-key") { Description = "The log's note verifier key (custodes log verifier-key, obtained from the firm like --key); checks that the log signed the letter's checkpoint. Without it, offline, inclusion is 'unchecked'. Online default: the server's /.well-known/custodes/keys." };
        var at = new Option<string?>("--at") { Description = "Verify as of this date (default: now)." };
        var witness = new Option<string[]>("--witness") { Description = "A witness's vkey (<name>+<key id>+<key>) whose cosignature counts toward --quorum; repeat for each witness you trust.", AllowMultipleArgumentsPerToken = false };
        var quorum = new Option<int?>("--quorum") { Description = "How many of the --witness witnesses must have cosigned the checkpoint the letter is trusted by (default: all of them)." };
        var json = CommonOptions.Json();
        var command = new Command("verify", "Verify a letter: signature, expiry and log proof (offline); with --log also the log's consistency and revocation; with --witness, that witnesses cosigned the log. Exit 0 only when valid.") { file, key, log, logKey, at, witness, quorum, json };
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new BadInputException("no such file", path);
            var bytes = await File.ReadAllBytesAsync(path, ct);
            var keyPath = parse.GetValue(key)!;
            if (!File.Exists(keyPath)) throw new BadInputException("no such file", keyPath);
            var signerKey = Ed25519PublicKey.FromPem(await File.ReadAllTextAsync(keyPath, ct), keyPath);
            var when = parse.GetValue(at) is { } text ? Dates.Parse(text, "--at") : DateTimeOffset.UtcNow;
            NoteVerifier? verifier = parse.GetValue(logKey) is { } k ? NoteVerifier.Parse(k) : null;
            var witnesses = (parse.GetValue(witness) ?? []).Select(CosignerVerifier.Parse).ToList();
            var required = parse.GetValue(quorum) ?? witnesses.Count;
            if (parse.GetValue(quorum) is not null && witnesses.Count == 0) throw new BadInputException("a quorum needs the witnesses it counts: name each trusted witness by its vkey", path: "witnesses");
            if (required < 1 && witnesses.Count > 0 || required > witnesses.Count) throw new BadInputException($"the quorum must be 1 to {witnesses.Count} (the number of witnesses named), not {required}", path: "quorum");

            // Not a letter file at all is bad input (exit 2); a letter that fails a check is invalid (exit 1).
            var malformed = false;
            try
            {
                LetterBundle.Parse(bytes, path);
            }
            catch (BadInputException e)
            {
                malformed = true;
                reporter.Error(e.Describe());
            }

            LetterVerification result;
            OnlineFindings? online = null;
            WitnessFindings? witnessed = null;
            if (parse.GetValue(log) is { } url && !malformed)
            {
                using var client = new HttpLogClient(url);
                verifier ??= NoteVerifier.Parse(await client.VerifierKeyAsync(ct));
                (result, online) = await OnlineLetterVerifier.VerifyAsync(bytes, signerKey, when, verifier, client, ct);
                if (witnesses.Count > 0) witnessed = await WitnessFindings.CheckAsync(bytes, witnesses, required, verifier, client, ct);
            }
            else
            {
                result = LetterVerifier.Verify(bytes, signerKey, when, verifier);
                if (witnesses.Count > 0 && !malformed) witnessed = await WitnessFindings.CheckAsync(bytes, witnesses, required, verifier, null, ct);
            }

            var valid = result.Valid && witnessed?.Met != false;
            Report(reporter, result, online, bytes, when, verifier is not null, parse.GetValue(log), witnessed);
            return malformed ? ExitCodes.BadInput : valid ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static void Report(Reporter reporter, LetterVerification result, OnlineFindings? online, byte[] bytes, DateTimeOffset at, bool checkpointSigned, string? logUrl, WitnessFindings? witnessed = null)
    {
        var (letterId, logIndex) = Identify(bytes, result);
        var valid = result.Valid && witnessed?.Met != false;
        if (reporter.Json)
        {
            var json = JsonSerializer.SerializeToNode(result, Json.Options)!.AsObject();
            if (witnessed is not null)
            {
                json["valid"] = valid;
                json["witnesses"] = new JsonObject
                {
                    ["quorum"] = witnessed.Quorum,
                    ["met"] = witnessed.Met,
                    ["checkpoint_size"] = witnessed.CheckpointSize,
                    ["cosigned_by"] = new JsonArray([.. witnessed.CosignedBy.Select(n => (JsonNode)n)]),
                };
                if (witnessed.Error is { } problem && json["errors"] is JsonArray errors) errors.Add(problem);
            }
            json["letter_id"] = letterId?.ToString();
            json["log_index"] = logIndex;
            json["checked_at"] = Dates.Format(at);
            json["online"] = online is not null;
            if (online is not null)
            {
                json["log"] = new JsonObject
                {
                    ["url"] = logUrl,
                    ["checkpoint_size"] = online.CheckpointSize,
                    ["current_size"] = online.CurrentSize,
                    ["consistency"] = online.Consistency,
                };
                json["revoked_at"] = online.Status?.RevokedAt is { } r ? Dates.Format(r) : null;
                json["revocation_reason"] = online.Status?.Reason;
                json["revocation_index"] = online.Status?.RevocationIndex;
                json["revocation_proved"] = online.RevocationProved;
                // Added fields, only when there is something to say, so that other letters' output is unchanged.
                if (online.Status?.SupersededAt is { } s && result.SupersededBy is not null) json["superseded_at"] = Dates.Format(s);
                if (online.Status?.ExpiryReason is { } expiry) json["expiry_reason"] = expiry;
            }
            reporter.Out.WriteLine(json.ToJsonString(Json.Indented));
            return;
        }
        // Plain lines: a console library would wrap them at 80 columns in a pipe or a file.
        reporter.Out.WriteLine(valid ? "VALID letter of attestation" : "NOT VALID letter of attestation");
        void Row(string name, string? value) => reporter.Out.WriteLine($"  {name,-12} {value ?? "-"}");
        if (result.Signature == SignatureStatus.Ok)
        {
            Row("issued by", result.Issuer);
            Row("about", result.SubjectOrganization);
            Row("score", result.Score is { ValueKind: JsonValueKind.Number } s ? $"{s.GetRawText()} of 110" : "none");
            Row("valid until", result.ValidUntil + (result.Expired ? $" (EXPIRED as of {Dates.Format(at)})" : ""));
            Row("letter id", letterId?.ToString());
            if (result.Supersedes is { } old) Row("supersedes", $"letter {old}");
            if (result.PoamCloseoutDue is { } due) Row("closeout due", $"{due} (conditional CMMC status: expires then unless a closeout letter supersedes it)");
            if (result.ArtifactsSha256 is { } artifacts) Row("artifacts", $"hash list sha256 {artifacts}");
        }
        Row("signature", result.Signature == SignatureStatus.Ok ? "ok: signed by the key given with --key" : "BAD");
        Row("log proof", result.Inclusion switch
        {
            InclusionStatus.Ok => $"ok: entry {logIndex} is in the letter's checkpoint, signed by the log key",
            InclusionStatus.Unchecked => $"unchecked: entry {logIndex} is in the letter's checkpoint, but who signed that checkpoint was not checked (give --log-key <log verifier key> or --log)",
            InclusionStatus.Absent => "ABSENT",
            _ => "BAD",
        });
        if (online is not null)
        {
            Row("log now", online.Consistency == "ok" ? $"ok: the log's current tree of {online.CurrentSize} entries extends the letter's checkpoint of {online.CheckpointSize}" : online.Consistency is null ? "not checked" : "BAD");
            Row("revoked", result.Revoked switch { true => $"YES, {online.Status?.RevokedAt:yyyy-MM-dd}: {online.Status?.Reason}", false => "no", null => "unknown" });
            if (result.SupersededBy is { } by) Row("superseded", $"by letter {by} on {online.Status?.SupersededAt:yyyy-MM-dd} (not a revocation: read the newer letter)");
        }
        else Row("revoked", "not checked offline (give --log to check)");
        if (witnessed is not null)
            Row("witnessed", witnessed.Met
                ? $"ok: the checkpoint of {witnessed.CheckpointSize} entries was cosigned by {string.Join(", ", witnessed.CosignedBy)} ({witnessed.CosignedBy.Count} of the {witnessed.Quorum} required)"
                : $"NO: {witnessed.Error}");
        foreach (var error in result.Errors) reporter.Out.WriteLine($"  error: {error}");
        if (witnessed?.Error is { } witnessError) reporter.Out.WriteLine($"  error: {witnessError}");
    }

    private static (Guid? LetterId, long? LogIndex) Identify(byte[] bytes, LetterVerification result)
    {
        try
        {
            var bundle = LetterBundle.Parse(bytes);
            Guid? id = result.Signature == SignatureStatus.Ok ? LetterPredicate.FromJson(InTotoStatement.Parse(bundle.Envelope.Payload.Span).Predicate).LetterId : null;
            return (id, bundle.Transparency?.Index);
        }
        catch (BadInputException)
        {
            return (null, null);
        }
    }

    private static Command Revoke()
    {
        var letter = new Argument<Guid>("letter-id");
        var reason = new Option<string>("--reason") { Required = true, Description = "Why the letter is withdrawn (public)." };
        var key = new Option<string?>("--key") { Description = "The issuer's signing.key: the revocation entry is then a DSSE envelope signed by the firm." };
        var passphrase = new Option<string?>("--passphrase-env") { Description = "Environment variable holding the key's passphrase." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("revoke", "Revoke a letter: append a revocation entry to the log; prints the revocation's log index.") { letter, reason, key, passphrase, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            if (string.IsNullOrWhiteSpace(parse.GetValue(reason)))
                throw new BadInputException("is empty: say why the letter is revoked (the reason is public and shown with the letter)", path: "--reason");
            var workspace = await store.OpenAsync(parse, ct);
            using var signingKey = parse.GetValue(key) is { } path ? workspace.Get<Application.Keys.ISigningKeyProvider>().Load(new KeyReference(path, parse.GetValue(passphrase))) : null;
            // The operator runs the installation: it revokes as the issuing firm's owner.
            var letterId = parse.GetValue(letter);
            var issuer = await workspace.Get<Application.Letters.LetterStore>().FindAsync(letterId, ct) ?? throw new NotFoundException($"no letter {letterId} in {workspace.Installation.DataDirectory}");
            var revoked = await workspace.Get<Application.Letters.RevokeLetter>().HandleAsync(Application.Tenant.Operator(issuer.IssuerOrganizationId), new RevokeLetterRequest(letterId, parse.GetValue(reason)!, signingKey), ct);
            if (reporter.Json) reporter.WriteJson(new { letter_id = revoked.LetterId, status = LetterStatuses.Revoked, revoked_at = Dates.Format(revoked.RevokedAt), reason = revoked.Reason, revocation_index = revoked.RevocationIndex, signed = revoked.Signed,
                supply_chain_notices = revoked.Dependents?.Notices, supply_chain_error = revoked.DependentsError });
            else
            {
                reporter.Out.WriteLine(revoked.RevocationIndex);
                reporter.Err.WriteLine($"letter {revoked.LetterId} revoked; the revocation is log entry {revoked.RevocationIndex}{(revoked.Signed ? " (signed by the firm)" : "")}");
                if (revoked.Dependents is { Notices: > 0 } d) reporter.Err.WriteLine($"{d.Notices} customer organization(s) inheriting from it were recomputed and notified");
            }
            if (revoked.DependentsError is { } error) reporter.Warning($"dependent customers were not recomputed ({error}); 'custodes supply-chain recompute' retries");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Render()
    {
        var file = new Argument<string>("letter") { Description = "The letter file (letter.json)." };
        var output = OutputFile.Option("The file to write: .html (a self-contained, printable page) or .pdf.");
        var format = new Option<string?>("--format") { Description = "html or pdf (default: from the --out extension; html when it says neither)." };
        format.AcceptOnlyFromAmong("html", "pdf");
        var baseUrl = new Option<string>("--base-url") { Description = "The public address of the log's server, for the verification link and QR code.", DefaultValueFactory = _ => DefaultBaseUrl };
        var store = new InstallationOptions();
        var command = new Command("render", "Render a letter as a printable HTML page or a PDF, with the letter text, score, signing-key fingerprint, log index and a verification QR code. " +
            "Given the issuing installation (--data-dir, --db, CUSTODES_DATA or CUSTODES_DB), a revoked letter says REVOKED, with the date and reason, on its first page.")
            { file, output, format, baseUrl };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new BadInputException("no such file", path);
            var view = LetterView.FromBundle(await File.ReadAllBytesAsync(path, ct), parse.GetValue(baseUrl)!, path);
            // Only an installation the user named: rendering a letter someone sent must not create a data directory as a side effect.
            if (store.Named(parse))
            {
                var status = await (await store.OpenAsync(parse, ct)).Get<Application.Letters.LetterStore>().StatusAsync(view.Letter.LetterId, cancellationToken: ct);
                // Only a revocation: it is final, whereas "valid" printed today would still say so after the letter expires or is revoked.
                if (status.Status == LetterStatuses.Revoked)
                {
                    view = view with { Status = status.Status, RevokedAt = status.RevokedAt, RevocationReason = status.Reason };
                    reporter.Warning($"letter {view.Letter.LetterId} was revoked on {status.RevokedAt:yyyy-MM-dd}: {status.Reason}; the rendered letter says REVOKED");
                }
            }
            var target = parse.GetValue(output)!;
            var pdf = (parse.GetValue(format) ?? (Path.GetExtension(target).Equals(".pdf", StringComparison.OrdinalIgnoreCase) ? "pdf" : "html")) == "pdf";
            if (pdf) OutputFile.Write(target, Reports.Pdf.AttestationLetterPdf.Write(view.ToPdf()), reporter, $"the letter PDF (verify link {view.VerifyUrl})", binary: true);
            else OutputFile.Write(target, System.Text.Encoding.UTF8.GetBytes(LetterHtml.Render(view, embedStylesheet: true)), reporter, $"the letter page (verify link {view.VerifyUrl})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status()
    {
        var letter = new Argument<Guid>("letter-id");
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("status", "A letter's status in this installation: valid, revoked, expired or unknown (as GET /api/v1/letters/{id}/status).") { letter, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var status = await (await store.OpenAsync(parse, ct)).Get<Application.Letters.LetterStore>().StatusAsync(parse.GetValue(letter), cancellationToken: ct);
            if (reporter.Json) reporter.WriteJson(status);
            else reporter.Out.WriteLine(status.Status + (status.Status == LetterStatuses.Revoked ? $" at {status.RevokedAt:yyyy-MM-dd HH:mm}Z: {status.Reason}" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("list", "List issued letters, newest first.") { json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var letters = await (await store.OpenAsync(parse, ct)).Get<Application.Letters.LetterStore>().ListAsync(cancellationToken: ct);
            if (reporter.Json)
                reporter.WriteJson(new { letters = letters.Select(l => new { letter_id = l.Id, l.Issuer, subject_organization = l.Subject, l.Framework, l.Score, l.Status, l.IssuedAt, l.ValidUntil, l.LogIndex, l.KeyId }) });
            else
                foreach (var l in letters) reporter.Line($"{l.Id}  #{l.LogIndex}  {l.Status,-8} {l.Subject} ({l.Score}) by {l.Issuer}, valid until {l.ValidUntil:yyyy-MM-dd}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.SupplyChain;
using Spectre.Console;

namespace Custodes.Cli.SupplyChain;

/// <summary><c>custodes supply-chain blast-radius|concentration|what-if|inherit|compare|recovery</c> over a portfolio (contracts §8, docs/supply-chain.md).</summary>
internal static class SupplyChainCommand
{
    public static Command Create()
    {
        var command = new Command("supply-chain", "Who reaches whom through providers and their tools; inheritance from providers' attestations.");
        command.Subcommands.Add(BlastRadiusCommand());
        command.Subcommands.Add(Concentration());
        command.Subcommands.Add(WhatIf());
        command.Subcommands.Add(Inherit());
        command.Subcommands.Add(Compare());
        command.Subcommands.Add(RecoveryCommand());
        command.Subcommands.Add(Recompute());
        return command;
    }

    private static Command BlastRadiusCommand()
    {
        var source = new PortfolioSource();
        var root = new Argument<string>("id") { Description = "An organization or tool id of the portfolio." };
        var json = CommonOptions.Json();
        var command = new Command("blast-radius", "Every organization a compromise of this organization or tool reaches, with the path, endpoints and data.") { root, json };
        source.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var radius = ComputeBlastRadius.For(await source.GraphAsync(parse, ct), parse.GetValue(root)!);
            if (reporter.Json)
            {
                reporter.WriteJson(radius);
                return ExitCodes.Ok;
            }
            reporter.Console.MarkupLine($"A compromise of [bold]{Markup.Escape(radius.Root)}[/] reaches [bold]{radius.TotalCustomers}[/] organizations, [bold]{radius.TotalEndpoints}[/] endpoints.");
            var table = new Table().AddColumns("Organization", "Via", "Endpoints", "Data");
            foreach (var c in radius.Customers)
                table.AddRow(Markup.Escape(c.Id), Markup.Escape(string.Join(" → ", c.Via)), c.Endpoints.ToString(CultureInfo.InvariantCulture), string.Join(", ", c.Data));
            if (radius.Customers.Count > 0) reporter.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Concentration()
    {
        var source = new PortfolioSource();
        var top = new Option<int?>("--top") { Description = "Show only the first N (default 20; 0 for all)." };
        var json = CommonOptions.Json();
        var command = new Command("concentration", "Providers and tool instances ranked by how many customers, endpoints and data classes one compromise reaches.") { top, json };
        source.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var n = parse.GetValue(top) ?? 20;
            if (n < 0) throw new BadInputException($"--top must be 0 or more, found {n}");
            var ranked = ConcentrationRisk.Rank(await source.GraphAsync(parse, ct), n == 0 ? null : n);
            if (reporter.Json)
            {
                reporter.WriteJson(new { ranked });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("#", "Id", "Kind", "Customers", "Endpoints", "CUI/PHI customers", "Data");
            for (var i = 0; i < ranked.Count; i++)
            {
                var e = ranked[i];
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(e.Id), e.Product is null ? e.Kind : $"tool ({e.Product})",
                    e.Customers.ToString(CultureInfo.InvariantCulture), e.Endpoints.ToString(CultureInfo.InvariantCulture), e.SensitiveCustomers.ToString(CultureInfo.InvariantCulture), string.Join(", ", e.Data));
            }
            reporter.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command WhatIf()
    {
        var source = new PortfolioSource();
        var root = new Argument<string>("id") { Description = "The provider (or tool) assumed compromised." };
        var json = CommonOptions.Json();
        var command = new Command("what-if", "What if this provider is compromised: every organization reached, CUI/PHI first, ranked by access-weighted exposure.") { root, json };
        source.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var report = AssessCompromise.For(await source.GraphAsync(parse, ct), parse.GetValue(root)!);
            if (reporter.Json)
            {
                reporter.WriteJson(report);
                return ExitCodes.Ok;
            }
            reporter.Console.MarkupLine($"If [bold]{Markup.Escape(report.Root)}[/] is compromised: {report.TotalCustomers} organizations, {report.TotalEndpoints} endpoints " +
                $"({string.Join(", ", report.CustomersByTier.Select(t => $"{t.Value} {t.Key}"))}).");
            var table = new Table().AddColumns("Tier", "Organization", "Data", "Access", "Endpoints", "Exposure", "Via");
            foreach (var c in report.Customers)
                table.AddRow(c.Tier, Markup.Escape($"{c.Id} ({c.Name})"), string.Join(", ", c.Data), c.Access ?? "–", c.Endpoints.ToString(CultureInfo.InvariantCulture),
                    c.Exposure.ToString("0.##", CultureInfo.InvariantCulture), Markup.Escape(string.Join(" → ", c.Via)));
            if (report.Customers.Count > 0) reporter.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Inherit()
    {
        var source = new PortfolioSource();
        var assessment = new Option<string>("--assessment") { Description = "The customer's own custodes.assessment/v1 file.", Required = true };
        var crm = new Option<string[]>("--crm") { Description = "Providers' responsibility matrices (custodes.crm/v1); repeat for each provider. Default: the matrices stored with the portfolio.", AllowMultipleArgumentsPerToken = true };
        var letters = new Option<string?>("--letters") { Description = "Providers' current letters (custodes.letter-status/v1), offline. Default: with a stored portfolio, the letters this installation holds; with a file, none." };
        var customer = new Option<string?>("--customer") { Description = "The customer's organization id (default: the assessment's organization, when it is an id of the portfolio)." };
        var asOf = AsOfOption();
        var output = new Option<string?>("--out") { Description = "Write the effective assessment (custodes.assessment/v1 JSON) to this file." };
        var json = CommonOptions.Json();
        var command = new Command("inherit", "A customer's effective assessment and score after inheriting provider-covered requirements.") { assessment, crm, letters, customer, asOf, output, json };
        source.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var input = await source.InputAsync(parse, ct);
            var graph = input.Graph;
            var own = AssessmentInput.LoadFile(parse.GetValue(assessment)!).Assessment;
            var customerId = parse.GetValue(customer) ?? own.Organization;
            var node = graph.IndexOf(customerId);
            if (node < 0 || graph.Organization(customerId) is null)
                throw new BadInputException($"'{customerId}' is not an organization of the portfolio; pass --customer <id>");
            var crmFiles = parse.GetValue(crm) ?? [];
            var matrices = crmFiles.Length > 0 || input.Stored is null ? LoadMatrices(crmFiles) : new Dictionary<string, ResponsibilityMatrix>(input.Stored.Matrices, StringComparer.Ordinal);
            var letterStates = await LettersAsync(input, parse.GetValue(letters), ct);
            var providers = CoveringProviders.Coverage(graph, node, matrices, letterStates);
            foreach (var ignored in matrices.Keys.Where(p => Array.TrueForAll(providers, c => c.Provider != p)))
                reporter.Warning($"{ignored} does not serve {customerId} in the portfolio; its responsibility matrix is ignored");
            var result = ApplyInheritance.Apply(own, providers, ResolveAsOf(parse.GetValue(asOf)));
            if (parse.GetValue(output) is { } outPath) File.WriteAllBytes(outPath, AssessmentFile.ToJson(result.Effective));
            if (reporter.Json)
            {
                reporter.WriteJson(new { customer = customerId, score = result.Score, inheritance = result.Report });
                return ExitCodes.Ok;
            }
            var c = reporter.Console;
            c.MarkupLine($"[bold]{Markup.Escape(customerId)}[/]: effective SPRS score [bold]{result.Score.Score?.ToString(CultureInfo.InvariantCulture) ?? "none"}[/] " +
                $"(own {Custodes.Assessments.Scoring.ScoreAssessment.Score(own).Score?.ToString(CultureInfo.InvariantCulture) ?? "none"}); CMMC Level 2 {result.Score.Cmmc.Level2.Status}");
            c.MarkupLine($"Inherited: {result.Report.Holding} hold, {result.Report.Failing} do not.");
            var table = new Table().AddColumns("Requirement", "Responsibility", "Own", "Effective", "Providers");
            foreach (var req in result.Report.Requirements)
                table.AddRow(req.Id, InheritanceNames.Name(req.Responsibility), req.Own.ToWire(), req.Holds ? req.Effective.ToWire() : $"[red]{req.Effective.ToWire()}[/]",
                    Markup.Escape(string.Join("; ", req.Providers.Select(p => $"{p.Provider}: {InheritanceNames.Name(p.Cause)}"))));
            if (result.Report.Requirements.Count > 0) c.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Compare()
    {
        var source = new PortfolioSource();
        var names = new Argument<string[]>("name")
        {
            Description = "With --org: the candidate providers, each a trust page published here (its slug or name) or another installation's trust page address " +
                "(https://…/trust/<slug>.json). Without --org: the one customer of the portfolio whose current providers are compared.",
            Arity = ArgumentArity.OneOrMore,
        };
        var replacing = new Option<string?>("--replacing") { Description = "With --org: the current provider a candidate would replace (its id or name in the customer's portfolio; default: the customer's only MSP)." };
        var letters = new Option<string?>("--letters") { Description = "Providers' current letters (custodes.letter-status/v1), offline. Default: with a stored portfolio, the letters this installation holds." };
        var assessments = new Option<string[]>("--provider-assessment") { Description = "A provider's shared assessment file; its organization must be the provider's id or name. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var asOf = AsOfOption();
        var json = CommonOptions.Json();
        var command = new Command("compare", "Switching providers: with --org <customer>, candidate providers side by side from their trust pages (letters verified), with the customer's " +
            "score if each replaced its current provider. Without --org: a customer's current providers side by side.") { names, replacing, letters, assessments, asOf, json };
        source.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var given = parse.GetValue(names) ?? [];
            if (parse.GetValue(source.Org) is { } org)
            {
                if (parse.GetValue(source.File) is not null || parse.GetValue(letters) is not null || parse.GetValue(asOf) is not null || (parse.GetValue(assessments) ?? []).Length > 0)
                    throw new BadInputException("comparing candidates for --org uses the customer's stored portfolio, assessment and the letters held here: drop --portfolio, --letters, --provider-assessment and --as-of");
                var workspace = await source.Store.OpenAsync(parse, ct);
                var tenant = await workspace.OperatorForAsync(org, ct);
                var candidates = await workspace.Get<Application.SupplyChain.SwitchingProviders>().CompareAsync(tenant, given, parse.GetValue(replacing), ct);
                if (reporter.Json) reporter.WriteJson(candidates);
                else WriteCandidates(reporter, candidates);
                return ExitCodes.Ok;
            }
            if (given.Length != 1) throw new BadInputException($"compare without --org takes one customer, found {given.Length} names; to compare candidate providers give the customer with --org <organization>");
            if (parse.GetValue(replacing) is not null) throw new BadInputException("--replacing is for comparing candidates: give the customer with --org <organization>");
            var input = await source.InputAsync(parse, ct);
            var graph = input.Graph;
            var letterStates = await LettersAsync(input, parse.GetValue(letters), ct);
            var shared = new Dictionary<string, Assessment>(StringComparer.Ordinal);
            foreach (var path in parse.GetValue(assessments) ?? [])
            {
                var a = AssessmentInput.LoadFile(path).Assessment;
                var found = graph.Organization(a.Organization) ?? graph.Portfolio.Organizations.FirstOrDefault(o => o.Name == a.Organization)
                    ?? throw new BadInputException($"the assessment's organization '{a.Organization}' is neither an id nor a name of the portfolio", path, "$.organization");
                shared[found.Id] = a;
            }
            var postures = letterStates.Keys.Union(shared.Keys).ToDictionary(p => p, p => new ProviderPosture(p, letterStates.GetValueOrDefault(p), shared.GetValueOrDefault(p)), StringComparer.Ordinal);
            var comparison = CompareProviders.For(graph, given[0], postures, ResolveAsOf(parse.GetValue(asOf)));
            if (reporter.Json)
            {
                reporter.WriteJson(comparison);
                return ExitCodes.Ok;
            }
            reporter.Console.MarkupLine($"Providers of [bold]{Markup.Escape(comparison.Customer)}[/] (data: {(comparison.CustomerData.Count == 0 ? "none declared" : string.Join(", ", comparison.CustomerData))})");
            var table = new Table().AddColumns("Provider", "Services", "Access", "Attestation", "Score", "CMMC L2", "Open POA&M", "Last independent", "Relevant gaps");
            foreach (var p in comparison.Providers)
                table.AddRow(Markup.Escape(p.Name), string.Join(", ", p.Services), p.Access ?? "–", p.Attestation, p.Score?.ToString(CultureInfo.InvariantCulture) ?? "–", p.CmmcLevel2 ?? "–",
                    p.OpenPoamItems?.ToString(CultureInfo.InvariantCulture) ?? "–", p.LastIndependentAssessment?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none",
                    p.RelevantUnmet.Count == 0 ? "–" : string.Join(", ", p.RelevantUnmet));
            reporter.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteCandidates(Reporter reporter, CandidateComparison c)
    {
        static string Number(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "–";
        reporter.Console.MarkupLine($"[bold]{Markup.Escape(c.Customer)}[/]: own score {Number(c.OwnScore)}, with its providers today {Number(c.CurrentScore)} (CMMC Level 2 {c.CurrentCmmcLevel2 ?? "–"})" +
            (c.Replacing is { } r ? $"; replacing {Markup.Escape(r.Name)} (letter {r.Attestation}, serves {(r.Organizations is { } n ? n.ToString(CultureInfo.InvariantCulture) : "an unpublished number of")} organizations)" : ""));
        var table = new Table().AddColumns("Candidate", "Letter", "Score", "CMMC L2", "Covers", "Score if switched", "Organizations (with you)");
        foreach (var row in c.Candidates)
            table.AddRow(Markup.Escape(row.Name), row.Attestation + (row.ValidUntil is { } until ? $" until {until:yyyy-MM-dd}" : ""), Number(row.Score), row.CmmcLevel2 ?? "–",
                row.PublishesMatrix ? $"{row.Covers} of {row.Claims}" : "no matrix", $"{Number(row.EffectiveScore)} ({(row.ScoreChange is > 0 ? "+" : "")}{Number(row.ScoreChange)})",
                row.Organizations is { } served ? $"{served} ({row.OrganizationsAfter})" : "not published");
        reporter.Console.Write(table);
        foreach (var row in c.Candidates)
            foreach (var u in row.Unverified) reporter.Warning($"{row.Name}: letter {u.LetterId} not verified, not counted: {u.Problem}");
    }

    private static Command RecoveryCommand()
    {
        var source = new PortfolioSource();
        var provider = new Argument<string>("provider") { Description = "The provider assumed compromised: everything it reaches is encrypted at once." };
        var asOf = new Option<string?>("--as-of") { Description = "Judge backups' restore tests at this date (YYYY-MM-DD; default: today, UTC)." };
        var crews = new Option<int?>("--crews") { Description = "What if the provider had this many crews (instead of the stated ones)." };
        var json = CommonOptions.Json();
        var command = new Command("recovery", "If everything this provider reaches is encrypted at once: each customer's restore, in order, the makespan, missed recovery time objectives and who has no usable backup (contracts §13).")
            { provider, asOf, crews, json };
        source.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            if (parse.GetValue(crews) is < 1 or > PortfolioFile.MaxCrews) throw new BadInputException($"--crews must be from 1 to {PortfolioFile.MaxCrews}, found {parse.GetValue(crews)}");
            var schedule = ScheduleRecovery.For(await source.GraphAsync(parse, ct), parse.GetValue(provider)!,
                new RecoveryOptions { AsOf = ResolveAsOf(parse.GetValue(asOf)), Crews = parse.GetValue(crews) });
            if (reporter.Json)
            {
                reporter.WriteJson(schedule);
                return ExitCodes.Ok;
            }
            var c = reporter.Console;
            var surge = schedule.Lanes.Skip(schedule.Crews).GroupBy(l => l.Team).Select(g => $"{g.Count()} from {g.Key} after {Hours.Text(g.First().JoinsAtHour)}").ToArray();
            c.MarkupLine($"If [bold]{Markup.Escape(schedule.ProviderName)}[/] is compromised, {schedule.Customers.Count} organizations are encrypted at once; " +
                $"{schedule.Crews} crew(s){(surge.Length == 0 ? "" : $" (+ {Markup.Escape(string.Join(", ", surge))})")} restore them in [bold]{Hours.Text(schedule.MakespanHours)}[/].");
            if (!schedule.CapacityStated)
                c.MarkupLine($"[yellow]{Markup.Escape(schedule.ProviderName)} states no complete recovery capacity: assumed {schedule.Crews} crew(s), {schedule.HoursPerEndpoint} h per endpoint, {schedule.HoursPerServer} h per server.[/]");
            var table = new Table().AddColumns("#", "Customer", "Endpoints", "Servers", "Restore h", "Start h", "Done h", "Crew", "Backup", "Risk");
            for (var i = 0; i < schedule.Customers.Count; i++)
            {
                var r = schedule.Customers[i];
                var risk = r.Risk == RecoveryRisk.Critical ? "[red]critical[/]" : r.Risk == RecoveryRisk.High ? "[yellow]high[/]" : r.Risk.ToString().ToLowerInvariant();
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape($"{r.Id} ({r.Name})"), r.Endpoints.ToString(CultureInfo.InvariantCulture),
                    r.Servers.ToString(CultureInfo.InvariantCulture), Num(r.RestoreHours), Num(r.StartHour), Num(r.DoneHour) + (r.RtoMissed ? " [yellow](RTO missed)[/]" : ""),
                    r.Crew.ToString(CultureInfo.InvariantCulture), r.Backup.ToString().ToLowerInvariant(), risk);
            }
            if (schedule.Customers.Count > 0) c.Write(table);
            c.MarkupLine($"Without a usable backup: [bold]{schedule.CustomersWithoutUsableBackup}[/]; recovery time objective missed: [bold]{schedule.RtoMissed.Count}[/].");
            foreach (var r in schedule.Customers.Where(r => r.Risk == RecoveryRisk.Critical))
                c.MarkupLine($"  [red]{Markup.Escape(r.Id)}[/]: {Markup.Escape(string.Join("; ", r.Reasons))}. To do: {Markup.Escape(string.Join("; ", r.Actions))}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    internal static Option<string?> AsOfOption() => new("--as-of") { Description = "Judge letters' expiry at this date (YYYY-MM-DD; default: today, UTC)." };

    internal static DateOnly ResolveAsOf(string? text) =>
        text is null ? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime)
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new BadInputException($"--as-of: expected a date written YYYY-MM-DD, found '{text}'");

    private static Command Recompute()
    {
        var letter = new Option<Guid?>("--letter") { Description = "Only this letter (default: every revoked or expired letter not processed yet)." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("recompute", "After letters are revoked or expire: recompute every dependent customer's score and CMMC status and record a supply-chain notice for each one that changed (each change once).") { letter, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var changes = (await store.OpenAsync(parse, ct)).Get<Application.SupplyChain.LetterChanges>();
            var outcome = parse.GetValue(letter) is { } id ? await changes.ProcessAsync(id, ct) : await changes.ProcessPendingAsync(ct);
            if (reporter.Json) reporter.WriteJson(new { letters = outcome.Letters, portfolios = outcome.Portfolios, notices = outcome.Notices });
            else reporter.Line($"{outcome.Letters} letter change(s) processed: {outcome.Notices} notice(s) in {outcome.Portfolios} portfolio(s)");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Providers' letters: from a <c>custodes.letter-status/v1</c> file when given, else those the installation holds for a stored portfolio.</summary>
    private static async Task<IReadOnlyDictionary<string, LetterState>> LettersAsync(PortfolioInput input, string? path, CancellationToken cancellationToken)
    {
        if (path is not null || input.Stored is null || input.Workspace is null) return LoadLetters(path);
        var held = await input.Workspace.Get<Application.SupplyChain.ProviderLetters>().ForAsync(input.Stored, TimeProvider.System.GetUtcNow(), cancellationToken);
        return held.ToDictionary(l => l.Key, l => l.Value.State, StringComparer.Ordinal);
    }

    internal static IReadOnlyDictionary<string, LetterState> LoadLetters(string? path) =>
        path is null ? new Dictionary<string, LetterState>() : DocumentFiles.ReadLetterStatuses(path).ToDictionary(l => l.Provider, StringComparer.Ordinal);

    private static Dictionary<string, ResponsibilityMatrix> LoadMatrices(IEnumerable<string> paths)
    {
        var matrices = new Dictionary<string, ResponsibilityMatrix>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var matrix = DocumentFiles.ReadResponsibilityMatrix(path);
            if (!matrices.TryAdd(matrix.Provider, matrix)) throw new BadInputException($"a second responsibility matrix for {matrix.Provider}; give one per provider", path, "$.provider");
        }
        return matrices;
    }
}

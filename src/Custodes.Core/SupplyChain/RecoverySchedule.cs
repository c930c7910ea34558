using Custodes.Common;

namespace Custodes.SupplyChain;

/// <summary>
/// "If every customer this provider reaches is encrypted at once, how long until each is back": the result of
/// <c>custodes supply-chain recovery --json</c> (contracts §13). The contract's properties come first, in its order; the rest are additions.
/// </summary>
/// <param name="Crews">The provider's own crews (the stated number, the default, or the what-if's).</param>
/// <param name="Customers">Every reached organization, in the order the crews take them.</param>
/// <param name="CustomersWithoutUsableBackup">Customers whose backup risk is critical: a restore cannot bring their data back.</param>
/// <param name="CapacityStated">False when the provider states no recovery capacity and the defaults were assumed.</param>
/// <param name="Lanes">Every crew: the provider's own, then each surge partner's, with the hour it joins.</param>
/// <param name="RtoMissed">Customers done after their recovery time objective, in schedule order.</param>
public sealed record RecoverySchedule(
    string Provider,
    int Crews,
    decimal MakespanHours,
    IReadOnlyList<ScheduledRestore> Customers,
    int CustomersWithoutUsableBackup,
    string ProviderName,
    DateOnly AsOf,
    decimal HoursPerEndpoint,
    decimal HoursPerServer,
    bool CapacityStated,
    int StaleAfterDays,
    IReadOnlyList<CrewLane> Lanes,
    IReadOnlyList<string> RtoMissed);

/// <summary>One crew of the schedule: 1-based <paramref name="Crew"/>, the team it belongs to (the provider or a surge partner), when it starts.</summary>
public sealed record CrewLane(int Crew, string Team, decimal JoinsAtHour);

/// <summary>One customer's restore: the contract's fields first, then who does it, what is restored and what the backup allows.</summary>
/// <param name="Crew">The crew (<see cref="CrewLane.Crew"/>) that restores it.</param>
/// <param name="CriticalData">It holds CUI or PHI (such customers go first by default).</param>
/// <param name="BackupProvider">Who runs the backup the risk is judged on (the best one when several are described).</param>
/// <param name="Reasons">Why the risk is what it is, in plain words.</param>
/// <param name="Actions">What the customer should do to lower it, in plain words (none when low).</param>
public sealed record ScheduledRestore(
    string Id,
    decimal RestoreHours,
    decimal StartHour,
    decimal DoneHour,
    BackupState Backup,
    RecoveryRisk Risk,
    string Name,
    int Crew,
    int Endpoints,
    int Servers,
    bool CriticalData,
    bool Prioritized,
    bool? Immutable,
    bool? Offsite,
    DateOnly? LastRestoreTest,
    string? BackupProvider,
    decimal? RpoHours,
    decimal? RtoHours,
    bool RtoMissed,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> Actions);

/// <summary>Whether a restore from the backup was proven: tested within the stale limit, tested longer ago (stale), never (untested), or no backup.</summary>
public enum BackupState { Tested, Untested, Stale, None }

/// <summary>How exposed a customer is after the compromise (docs/supply-chain.md, "Recovery capacity").</summary>
public enum RecoveryRisk { Critical, High, Medium, Low }

/// <summary>What a schedule is computed for: the date backups are judged at, and the what-if changes.</summary>
public sealed record RecoveryOptions
{
    public required DateOnly AsOf { get; init; }
    /// <summary>A restore test older than this many days is stale.</summary>
    public int StaleAfterDays { get; init; } = 180;
    /// <summary>What-if: the provider's own crews instead of the stated ones.</summary>
    public int? Crews { get; init; }
    /// <summary>What-if: a surge partner joining besides the stated ones.</summary>
    public SurgePartner? ExtraSurge { get; init; }
    /// <summary>What-if: each critical customer's backup as if it were made immutable, offsite and restore-tested on <see cref="AsOf"/>.</summary>
    public bool FixCriticalBackups { get; init; }
    /// <summary>What-if: this customer restored before every other (as if first on the provider's priority list).</summary>
    public string? First { get; init; }
}

/// <summary>Computes the restore schedule of everything a provider reaches (contracts §13).</summary>
/// <remarks>
/// Pure and deterministic. Every organization the provider reaches (transitively, as <see cref="ComputeBlastRadius"/>) is encrypted at hour 0.
/// restore_hours = endpoints × hours_per_endpoint + servers × hours_per_server, with the counts of the reaching relationships (the largest, as
/// blast radius counts endpoints). Order: the provider's stated priority first (in its order), then customers holding CUI or PHI, then the
/// smallest restore first, then id (ordinal). Crews: the provider's own (numbered 1…n) free at hour 0, then each surge partner's in document
/// order, free at its start delay. Each customer in order goes to the crew free earliest; a tie goes to the lowest-numbered crew. So no crew
/// idles while a customer waits, and a crew restores one customer at a time. Hours are decimals: sums and ties are exact.
/// </remarks>
public static class ScheduleRecovery
{
    public static RecoverySchedule For(PortfolioGraph graph, string providerId, RecoveryOptions options)
    {
        var root = graph.IndexOf(providerId);
        if (root < 0 || graph.Organizations[root] is not { } provider)
            throw new NotFoundException(graph.Tool(providerId) is { } tool
                ? $"'{providerId}' is a tool; a recovery is planned by the provider that restores customers (the tool's operator is {tool.Operator})"
                : $"'{providerId}' is not an organization of the portfolio");
        if (!provider.Kind.IsProvider())
            throw new BadInputException($"'{providerId}' is a {PortfolioNames.Kinds.Name(provider.Kind)}, not a provider: only a provider restores customers", path: "provider");
        if (options.Crews is < 1 or > PortfolioFile.MaxCrews) throw new BadInputException($"crews must be from 1 to {PortfolioFile.MaxCrews}, found {options.Crews}", path: "crews");
        if (options.StaleAfterDays < 0) throw new BadInputException($"the stale limit must be 0 days or more, found {options.StaleAfterDays}", path: "stale_after_days");

        var stated = provider.Recovery;
        var crews = options.Crews ?? stated?.Crews ?? Recovery.DefaultCrews;
        var perEndpoint = stated?.HoursPerEndpoint ?? Recovery.DefaultHoursPerEndpoint;
        var perServer = stated?.HoursPerServer ?? Recovery.DefaultHoursPerServer;
        var lanes = new List<CrewLane>(crews);
        for (var c = 0; c < crews; c++) lanes.Add(new CrewLane(c + 1, provider.Name, 0));
        foreach (var partner in (stated?.Surge ?? []).Concat(options.ExtraSurge is { } extra ? [extra] : []))
            for (var c = 0; c < partner.Crews; c++) lanes.Add(new CrewLane(lanes.Count + 1, partner.Name, Hours.Normalize(partner.StartDelayHours)));

        var priority = new Dictionary<string, int>(StringComparer.Ordinal);
        if (options.First is { } first) priority[first] = 0;
        foreach (var id in stated?.Priority ?? []) priority.TryAdd(id, priority.Count);

        // Customers judged alike share the words of their judgement: a large provider's customers fall into a few dozen cases, and putting each
        // customer's case into words anew (lists, names, dates) cost more than the whole rest of the schedule.
        var words = new Dictionary<WordsKey, Words>();
        var t = graph.Reach(root);
        Job[] jobs;
        try
        {
            jobs = new Job[t.Count - 1];
            var n = 0;
            for (var k = 1; k < t.Count; k++)
            {
                var node = t.Order[k];
                if (graph.Organizations[node] is not { } org) continue;
                var (endpoints, servers, data) = graph.RestoreOf(node, t);
                var judged = Judge(graph, node, t, options, root, words);
                jobs[n++] = new Job(node, org, endpoints, servers, endpoints * perEndpoint + servers * perServer, (data & (DataClasses.Cui | DataClasses.Phi)) != 0,
                    priority.Count > 0 && priority.TryGetValue(org.Id, out var rank) ? rank : int.MaxValue, judged);
            }
            Array.Resize(ref jobs, n);
        }
        finally
        {
            graph.Return(t);
        }
        // Sorted as small keys that compare themselves (no comparer delegate, no copying of whole jobs), then taken in key order.
        var order = new JobKey[jobs.Length];
        for (var j = 0; j < jobs.Length; j++) order[j] = new JobKey(jobs[j].Priority, jobs[j].CriticalData, jobs[j].Hours, jobs[j].Node, j);
        Array.Sort(order);

        // The crew free earliest, lowest number on a tie: (free at, crew index) is a total order, so the queue's choice is exact.
        var free = new PriorityQueue<int, (decimal At, int Crew)>(lanes.Count, FreeOrder.Instance);
        for (var c = 0; c < lanes.Count; c++) free.Enqueue(c, (lanes[c].JoinsAtHour, c));
        var customers = new ScheduledRestore[jobs.Length];
        // The advice a partial backup adds, appended once per shared list of actions (and whether the backup is immutable).
        var withPartial = new Dictionary<(IReadOnlyList<string> Actions, bool Immutable), IReadOnlyList<string>>();
        var missed = new List<string>();
        decimal makespan = 0;
        var withoutBackup = 0;
        string? earlier = null;
        for (var j = 0; j < jobs.Length; j++)
        {
            ref readonly var job = ref jobs[order[j].Job];
            free.TryDequeue(out var crew, out var at);
            var hours = Hours.Normalize(job.Hours);
            var start = at.At;
            var done = Hours.Normalize(start + hours);
            free.Enqueue(crew, (done, crew));
            makespan = Math.Max(makespan, done);
            var b = job.Backup;
            var rtoMissed = b.Backup?.RtoHours is { } rto && done > rto;
            var risk = b.Critical ? RecoveryRisk.Critical : rtoMissed ? RecoveryRisk.High : b.Backup is { Immutable: true, Offsite: true } ? RecoveryRisk.Low : RecoveryRisk.Medium;
            if (risk == RecoveryRisk.Critical) withoutBackup++;
            if (rtoMissed) missed.Add(job.Org.Id);
            // The judged backup's words are shared by every customer judged alike; a customer's own are added to a copy.
            var reasons = b.Reasons;
            var actions = b.Actions;
            if (rtoMissed)
            {
                reasons = [.. reasons, $"back after {Hours.Text(done)} against a recovery time objective of {Hours.Text(b.Backup!.RtoHours!.Value)}"];
                actions = [.. actions, earlier ??= $"agree with {provider.Name} to be restored earlier (its priority list), or keep a standby that does not wait for its crews"];
            }
            if (risk is RecoveryRisk.Medium or RecoveryRisk.High && b.Backup is { } partial && !(partial.Immutable && partial.Offsite))
            {
                if (rtoMissed) actions = [.. actions, PartialAdvice(partial)];
                else if (!withPartial.TryGetValue((actions, partial.Immutable), out var shared))
                    withPartial[(actions, partial.Immutable)] = actions = [.. actions, PartialAdvice(partial)];
                else actions = shared;
            }
            customers[j] = new ScheduledRestore(job.Org.Id, hours, start, done, b.State, risk, job.Org.Name, crew + 1, job.Endpoints, job.Servers, job.CriticalData,
                job.Priority != int.MaxValue, b.Backup?.Immutable, b.Backup?.Offsite, b.Backup?.LastRestoreTest,
                b.Holder is { } holder ? graph.IdOf(holder) : null, b.Backup?.RpoHours, b.Backup?.RtoHours, rtoMissed, reasons, actions);
        }
        return new RecoverySchedule(provider.Id, crews, makespan, customers, withoutBackup, provider.Name, options.AsOf, Hours.Normalize(perEndpoint), Hours.Normalize(perServer),
            stated?.Crews is not null && stated.HoursPerEndpoint is not null && stated.HoursPerServer is not null, options.StaleAfterDays, lanes, missed);
    }

    private static string PartialAdvice(Backup partial) =>
        partial.Immutable ? "keep a copy offsite as well" : "make the offsite copy immutable (object lock), so that no admin account can delete it";

    /// <summary>What the words of a judgement depend on: the state, the date of a stale test, immutable and offsite, and who runs a backup the compromise can delete (-1 when none).</summary>
    private readonly record struct WordsKey(BackupState State, DateOnly? StaleSince, bool Immutable, bool Offsite, int DeletableBy);

    /// <summary>The words of one judgement, shared by every customer judged alike.</summary>
    private sealed record Words(IReadOnlyList<string> Reasons, IReadOnlyList<string> Actions);

    /// <summary>A customer's backup as judged after the compromise: its state, whether it is critical and why.</summary>
    /// <remarks>A value, not an object: one per reached customer, and the words it holds are shared.</remarks>
    internal readonly record struct JudgedBackup(Backup? Backup, int? Holder, BackupState State, bool Critical, IReadOnlyList<string> Reasons, IReadOnlyList<string> Actions);

    /// <summary>Judges each backup described for the customer and keeps the best: not critical first, then immutable and offsite, then document order.</summary>
    private static JudgedBackup Judge(PortfolioGraph graph, int customer, PortfolioGraph.Traversal t, RecoveryOptions options, int root, Dictionary<WordsKey, Words> words)
    {
        // Rank every backup without words, then put into words only the one that counts: a customer of a large provider has several.
        Backup? bestBackup = null;
        var bestHolder = -1;
        var bestRank = int.MaxValue;
        var count = graph.RelationshipCountOf(customer);
        for (var i = 0; i < count; i++)
        {
            var (backup, holder, _) = graph.BackupOf(customer, i);
            if (backup is null) continue;
            var critical = StateOf(backup, options) != BackupState.Tested || (!backup.Immutable && (t.Seen(holder) || !backup.Offsite));
            var rank = (critical ? 4 : 0) + (backup.Immutable ? 0 : 1) + (backup.Offsite ? 0 : 1);
            if (rank < bestRank) (bestBackup, bestHolder, bestRank) = (backup, holder, rank);
        }
        JudgedBackup? best = bestBackup is null ? null : JudgeOne(graph, bestBackup, bestHolder, t.Seen(bestHolder), bestHolder == root, options, words);
        if (options.FixCriticalBackups && best is not { Critical: false })
        {
            // Fixed as advised: an immutable offsite copy, restore-tested today, run by the same holder (or the customer's own, when none was described).
            var fixedBackup = (best?.Backup ?? new Backup()) with { Immutable = true, Offsite = true, LastRestoreTest = options.AsOf };
            return new JudgedBackup(fixedBackup, best?.Holder, BackupState.Tested, false, [], []);
        }
        if (best is { } found) return found;
        return NoBackup;
    }

    private static readonly JudgedBackup NoBackup = new(null, null, BackupState.None, true, ["no backup is described: without one, the data comes back only if the ransom is paid"],
        ["get a backup with an immutable copy kept offsite, run by a provider other than the one who manages your computers, and test a restore"]);

    private static BackupState StateOf(Backup backup, RecoveryOptions options) => backup.LastRestoreTest switch
    {
        null => BackupState.Untested,
        { } tested when tested > options.AsOf => BackupState.Untested,
        { } tested when options.AsOf.DayNumber - tested.DayNumber > options.StaleAfterDays => BackupState.Stale,
        _ => BackupState.Tested,
    };

    private static JudgedBackup JudgeOne(PortfolioGraph graph, Backup backup, int holder, bool holderReached, bool holderIsRoot, RecoveryOptions options, Dictionary<WordsKey, Words> words)
    {
        var state = StateOf(backup, options);
        var key = new WordsKey(state, state == BackupState.Stale ? backup.LastRestoreTest : null, backup.Immutable, backup.Offsite, !backup.Immutable && holderReached ? holder : -1);
        if (!words.TryGetValue(key, out var said)) words[key] = said = Say(graph, backup, state, holder, holderReached, holderIsRoot, options);
        return new JudgedBackup(backup, holder, state, said.Reasons.Count > 0, said.Reasons, said.Actions);
    }

    private static Words Say(PortfolioGraph graph, Backup backup, BackupState state, int holder, bool holderReached, bool holderIsRoot, RecoveryOptions options)
    {
        var reasons = new List<string>();
        var actions = new List<string>();
        var holderName = graph.Organizations[holder]?.Name ?? graph.IdOf(holder);
        if (state == BackupState.Untested)
        {
            reasons.Add("no restore from the backup has been tested: nobody knows whether it brings the data back");
            actions.Add("test a restore from the backup and record the date");
        }
        else if (state == BackupState.Stale)
        {
            reasons.Add($"the last restore test was on {backup.LastRestoreTest!.Value.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}, more than {options.StaleAfterDays} days ago");
            actions.Add("test a restore again (at least every few months) and record the date");
        }
        if (!backup.Immutable && holderReached)
        {
            reasons.Add(holderIsRoot
                ? $"the backup is run by {holderName}, the compromised provider, and is not immutable: the attacker can delete it with {holderName}'s own tools"
                : $"the backup is run by {holderName}, whom the compromise reaches, and is not immutable: the attacker can delete it");
            actions.Add("make the backup immutable (object lock), or keep a copy with a provider the compromise does not reach");
        }
        if (!backup.Immutable && !backup.Offsite)
        {
            reasons.Add("the backup is neither immutable nor offsite: ransomware that encrypts the network encrypts or deletes it too");
            actions.Add("keep an immutable copy offsite");
        }
        return new Words(reasons, actions);
    }

    private readonly record struct Job(int Node, Organization Org, int Endpoints, int Servers, decimal Hours, bool CriticalData, int Priority, JudgedBackup Backup);

    /// <summary>A job's place in the order: stated priority, then critical data first, then the smallest restore, then id.</summary>
    /// <param name="Job">The job's index in the unsorted jobs.</param>
    private readonly record struct JobKey(int Priority, bool CriticalData, decimal Hours, int Node, int Job) : IComparable<JobKey>
    {
        public int CompareTo(JobKey other)
        {
            var c = Priority.CompareTo(other.Priority);
            if (c != 0) return c;
            c = other.CriticalData.CompareTo(CriticalData);
            if (c != 0) return c;
            c = Hours.CompareTo(other.Hours);
            // Node indices are in ordinal id order: the last tie-break is the id.
            return c != 0 ? c : Node.CompareTo(other.Node);
        }
    }

    private sealed class FreeOrder : IComparer<(decimal At, int Crew)>
    {
        public static readonly FreeOrder Instance = new();

        public int Compare((decimal At, int Crew) a, (decimal At, int Crew) b)
        {
            var c = a.At.CompareTo(b.At);
            return c != 0 ? c : a.Crew.CompareTo(b.Crew);
        }
    }
}

/// <summary>Hours as exact decimals, written without trailing zeros (18, not 18.0) and in words for people.</summary>
public static class Hours
{
    /// <summary>The same value with the fewest decimal places (12 × 1.5 = 18.0 is written 18).</summary>
    /// <remarks>By rounding to each number of places up to the value's own: a decimal division by 1.000… does the same but costs far more, on every restore of a schedule.</remarks>
    public static decimal Normalize(decimal value)
    {
        for (var places = 0; places < value.Scale; places++)
            if (decimal.Round(value, places) is var rounded && rounded == value) return rounded;
        return value;
    }

    /// <summary>"6 hours", "1.5 days" (a day of restore work is 24 hours: crews work around the clock after a compromise).</summary>
    public static string Text(decimal hours) =>
        hours < 48 ? $"{Normalize(Math.Round(hours, 1)).ToString(System.Globalization.CultureInfo.InvariantCulture)} hours"
        : $"{Normalize(Math.Round(hours / 24, 1)).ToString(System.Globalization.CultureInfo.InvariantCulture)} days";
}

using Microsoft.Extensions.Options;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Custodes.Application.Transparency;
using Custodes.Transparency;

namespace Custodes.Application.Witness;

/// <summary>Settings of cosignature collection (<c>Custodes:Witnesses</c>).</summary>
public sealed class CosignatureCollectorOptions
{
    public const string Section = "Custodes:Witnesses";

    /// <summary>How often the log is looked at for a new checkpoint (appends by other processes are seen this way too).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>First wait after a witness failed; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class CosignatureCollectorOptionsValidator : IValidateOptions<CosignatureCollectorOptions>
{
    public ValidateOptionsResult Validate(string? name, CosignatureCollectorOptions options)
    {
        var failures = new List<string>();
        void Positive(string key, TimeSpan value)
        {
            if (value <= TimeSpan.Zero) failures.Add($"configuration {CosignatureCollectorOptions.Section}:{key}: {value} is not a positive duration (e.g. 00:00:10)");
        }
        Positive(nameof(options.PollInterval), options.PollInterval);
        Positive(nameof(options.FirstBackoff), options.FirstBackoff);
        Positive(nameof(options.MaxBackoff), options.MaxBackoff);
        Positive(nameof(options.RequestTimeout), options.RequestTimeout);
        if (options.FirstBackoff > options.MaxBackoff)
            failures.Add($"configuration {CosignatureCollectorOptions.Section}:FirstBackoff: {options.FirstBackoff} is longer than MaxBackoff {options.MaxBackoff}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Asks every configured witness to cosign the log's newest checkpoint (C2SP tlog-witness add-checkpoint) and stores the
/// cosignatures. Each witness is asked on its own: one down or slow backs off alone and delays no other, nor any append.
/// </summary>
public sealed class CosignatureCollector(TransparencyLog log, LogWitnesses witnesses, HttpClient http, CosignatureCollectorOptions options, TimeProvider clock)
{
    private sealed class State
    {
        public int Failures;
        public DateTimeOffset NotBefore;
        public Task? Running;
    }

    private readonly ConcurrentDictionary<string, State> _states = new();

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception)
            {
                // The database may be briefly unreachable; the next pass tries again.
            }
            try
            {
                await Task.Delay(options.PollInterval, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        try
        {
            await Task.WhenAll(_states.Values.Select(s => s.Running ?? Task.CompletedTask));
        }
        catch (Exception)
        {
            // A request cut short by shutdown: its witness is asked again by the next server.
        }
    }

    /// <summary>One look: starts a request to each witness that lags behind the newest checkpoint and is not waiting or busy.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        var configured = await witnesses.ListAsync(cancellationToken);
        if (configured.Count == 0) return;
        var latest = await log.LatestCheckpointAsync(cancellationToken);
        if (latest is null) return;
        foreach (var witness in configured)
        {
            if (witness.CosignedSize >= latest.Size) continue;
            var state = _states.GetOrAdd(witness.Verifier.KeyString, _ => new State());
            if (state.Running is { IsCompleted: false } || clock.GetUtcNow() < state.NotBefore) continue;
            state.Running = Task.Run(() => AskAsync(witness, latest.Size, latest.Note, state, cancellationToken), cancellationToken);
        }
    }

    private async Task AskAsync(LogWitness witness, long size, string note, State state, CancellationToken cancellationToken)
    {
        var old = witness.CosignedSize;
        // A 409 tells the size the witness knows: ask again from there at once, a few times at most.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            string? error;
            try
            {
                var proof = old == 0 ? [] : await log.ProveConsistencyAsync(size, old, cancellationToken);
                var body = new AddCheckpointRequest(old, proof, note).ToBody();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.RequestTimeout);
                using var response = await http.PostAsync(witness.Url + "/add-checkpoint", new StringContent(body, Encoding.UTF8, "text/plain"), timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                var status = (int)response.StatusCode;
                if (status == 200)
                {
                    var noteText = SignedNote.Open(note).Note!.Text;
                    var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                        .FirstOrDefault(l => SignedNote.ParseSignatureLine(l) is { } s && witness.Verifier.FindCosignature(noteText, [s]) is not null);
                    if (line is not null)
                    {
                        await witnesses.RecordAsync(witness.Verifier.KeyString, size, line + "\n", null, null, cancellationToken);
                        state.Failures = 0;
                        return;
                    }
                    error = "the witness answered without a valid cosignature by its key";
                }
                else if (status == 409 && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var known) && known <= size && known != old)
                {
                    await witnesses.RecordAsync(witness.Verifier.KeyString, size, null, known, $"the witness knew size {known}, not {old}", cancellationToken);
                    old = known;
                    continue;
                }
                else error = $"HTTP {status}: {text.Trim()}";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                error = e is OperationCanceledException ? $"no answer within {options.RequestTimeout.TotalSeconds:0} s" : e.Message;
            }
            await FailAsync(witness, size, state, error, cancellationToken);
            return;
        }
        await FailAsync(witness, size, state, "the witness keeps answering 409 with changing sizes", cancellationToken);
    }

    private async Task FailAsync(LogWitness witness, long size, State state, string error, CancellationToken cancellationToken)
    {
        state.Failures++;
        var wait = TimeSpan.FromTicks(Math.Min(options.MaxBackoff.Ticks, options.FirstBackoff.Ticks << Math.Min(state.Failures - 1, 20)));
        state.NotBefore = clock.GetUtcNow() + wait;
        try
        {
            await witnesses.RecordAsync(witness.Verifier.KeyString, size, null, null, error, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Recording the error is for the operator; the backoff already holds.
        }
    }
}

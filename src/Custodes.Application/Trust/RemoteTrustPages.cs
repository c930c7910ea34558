using System.Globalization;
using System.Net;
using System.Text.Json;
using Custodes.Application.Keys;
using Custodes.Application.Transparency;
using Custodes.Attestation;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Transparency;

namespace Custodes.Application.Trust;

/// <summary>
/// Another installation's trust page (<c>https://…/trust/&lt;slug&gt;.json</c>, <c>custodes.trust/v1</c>) read as a candidate provider, its letters
/// verified before anything on the page is used: each letter file is fetched from that installation, its DSSE signature checked with the key the
/// firm registered there (or here), its inclusion proof against that log's signed checkpoint, the log's consistency and the letter's revocation
/// status as <c>attest verify --log</c> does (<see cref="OnlineLetterVerifier"/>). The page's own summary of a letter (score, status) is never
/// trusted: what is shown comes from the verified letter. A letter that does not verify is reported as such and counts for nothing.
/// </summary>
/// <remarks>
/// Only https, except to a loopback address (a test or an installation on the same machine); no redirects; every answer is size-limited and the
/// whole read has a deadline, so a pasted address cannot make the server fetch without bound.
/// </remarks>
public sealed class RemoteTrustPages(SigningKeyRegistry registry, HttpMessageHandler? handler = null)
{
    /// <summary>The trust page's JSON and the keys document: far more than a real page (a few KB per letter).</summary>
    public const long MaxPageBytes = 1024 * 1024;
    /// <summary>One letter file, a checkpoint, a tile: a letter is a few KB, a full tile 8 KB.</summary>
    public const long MaxFileBytes = 512 * 1024;
    /// <summary>How many letters of one page are checked, newest first, before giving up on finding one that verifies.</summary>
    public const int MaxLettersChecked = 5;
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>The field the candidates are named in (the form and the API; the CLI's arguments).</summary>
    public const string Field = "candidates";

    private static readonly HttpMessageHandler DefaultHandler = new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
    };

    /// <summary>Whether text is meant as another installation's address rather than a trust page here.</summary>
    public static bool IsAddress(string candidate) =>
        candidate.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || candidate.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The JSON address of a pasted trust page address (the page's own address is accepted too), or why it cannot be used.</summary>
    public static Uri JsonAddress(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new BadInputException($"'{text}' is not a web address; paste the trust page's address, e.g. https://msp.example/trust/acme-it.json", path: Field);
        if (uri.Scheme == "http" && !uri.IsLoopback)
            throw new BadInputException($"'{text}' is not secure (http): only https addresses are read, so that nobody in between can change the page", path: Field);
        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new BadInputException($"'{text}' has a user name, query or fragment; paste the trust page's plain address", path: Field);
        var path = uri.AbsolutePath;
        var at = path.LastIndexOf("/trust/", StringComparison.Ordinal);
        var slug = at < 0 ? "" : path[(at + "/trust/".Length)..];
        if (slug.EndsWith(".json", StringComparison.Ordinal)) slug = slug[..^".json".Length];
        if (slug.Length == 0 || TrustPages.SlugProblem(slug) is not null)
            throw new BadInputException($"'{text}' is not a trust page's address: it should end in /trust/<name> or /trust/<name>.json", path: Field);
        return new Uri(uri, $"{path[..at]}/trust/{slug}.json");
    }

    /// <summary>Reads the page at <paramref name="address"/> and verifies its letters as of <paramref name="at"/>.</summary>
    public async Task<CandidateProvider> ReadAsync(string address, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var json = JsonAddress(address);
        var root = new Uri(json, json.AbsolutePath[..json.AbsolutePath.LastIndexOf("/trust/", StringComparison.Ordinal)] + "/");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        using var http = new HttpClient(handler ?? DefaultHandler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("custodes-compare/1");
        var ct = deadline.Token;

        var page = ParsePage(await GetAsync(http, json, MaxPageBytes, address, ct), address);
        var keys = await KeysAsync(http, root, address, ct);
        using var log = new HttpLogClient(http, root.ToString(), MaxFileBytes);
        var unverified = new List<UnverifiedLetter>();
        LetterState? letter = null;
        foreach (var listed in page.Letters.Take(MaxLettersChecked))
        {
            var (state, problem) = await VerifyAsync(http, root, listed, page, keys, log, at, ct);
            if (problem is not null)
            {
                unverified.Add(new UnverifiedLetter(listed.LetterId, problem));
                continue;
            }
            letter = state;
            break;
        }
        return new CandidateProvider
        {
            Id = json.ToString(),
            Name = page.Name,
            Page = json.ToString(),
            Remote = true,
            Letter = letter,
            Unverified = unverified,
            Matrix = page.Matrix,
        };
    }

    private sealed record ListedLetter(string LetterId, string? BundleUrl, DateTimeOffset IssuedAt);

    private sealed record Page(string Name, IReadOnlyList<ListedLetter> Letters, ResponsibilityMatrix? Matrix, IReadOnlySet<string> Attested);

    private sealed record PublishedKeys(NoteVerifier? Log, IReadOnlyDictionary<string, (Ed25519PublicKey Key, DateTime NotBefore, DateTime? NotAfter)> Firms, string? Problem);

    private async Task<(LetterState? State, string? Problem)> VerifyAsync(HttpClient http, Uri root, ListedLetter listed, Page page, PublishedKeys keys, HttpLogClient log,
        DateTimeOffset at, CancellationToken ct)
    {
        if (!Guid.TryParse(listed.LetterId, out var letterId)) return (null, "the page gives no usable letter id");
        if (listed.BundleUrl is null || !Uri.TryCreate(listed.BundleUrl, UriKind.Absolute, out var bundleUrl)) return (null, "the page gives no address for the letter file");
        if (Uri.Compare(bundleUrl, root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            return (null, $"the letter file is on another site ({bundleUrl.Host}), not the installation that publishes the page");
        if (keys.Problem is not null) return (null, keys.Problem);

        byte[] bytes;
        LetterBundle bundle;
        LetterPredicate predicate;
        try
        {
            bytes = await GetAsync(http, bundleUrl, MaxFileBytes, bundleUrl.ToString(), ct);
            bundle = LetterBundle.Parse(bytes, bundleUrl.ToString());
            predicate = LetterPredicate.FromJson(InTotoStatement.Parse(bundle.Envelope.Payload.Span).Predicate);
        }
        catch (BadInputException e)
        {
            return (null, $"the letter file cannot be read: {e.Message}");
        }
        if (predicate.LetterId != letterId) return (null, $"the letter file is letter {predicate.LetterId}, not {letterId} as the page says");
        if (!string.Equals(Normalize(predicate.SubjectOrganization), Normalize(page.Name), StringComparison.OrdinalIgnoreCase))
            return (null, $"the letter is about {predicate.SubjectOrganization}, not {page.Name}");

        var keyId = bundle.Envelope.Signatures.Count > 0 ? bundle.Envelope.Signatures[0].KeyId : "";
        Ed25519PublicKey key;
        if (await registry.FindAsync(keyId, ct) is { } here)
        {
            if (!here.CoversIssuance(predicate.IssuedAt)) return (null, $"the signing key {keyId} was not valid for {here.Organization} when the letter was issued");
            key = here.ToPublicKey();
        }
        else if (keys.Firms.TryGetValue(keyId, out var published))
        {
            if (predicate.IssuedAt.UtcDateTime < published.NotBefore || published.NotAfter is { } end && predicate.IssuedAt.UtcDateTime > end)
                return (null, $"the signing key {keyId} was not valid when the letter was issued");
            key = published.Key;
        }
        else return (null, $"the letter is signed with a key ({keyId}) that the installation does not publish");

        LetterVerification result;
        try
        {
            (result, _) = await OnlineLetterVerifier.VerifyAsync(bytes, key, at, keys.Log!, log, ct);
        }
        catch (Exception e) when (e is EnvironmentFailureException or TileMismatchException or BadInputException or OperationCanceledException)
        {
            return (null, $"the letter could not be checked against its log: {e.Message}");
        }
        if (result.Signature != SignatureStatus.Ok) return (null, "the letter's signature does not verify: it was changed after signing, or not signed by its issuer");
        if (result.Inclusion != InclusionStatus.Ok) return (null, "the letter is not proved to be in the installation's transparency log");
        var problems = result.Errors.Where(e => !e.StartsWith(LetterErrors.LetterExpired, StringComparison.Ordinal) && !e.StartsWith(LetterErrors.LetterRevoked, StringComparison.Ordinal)).ToArray();
        if (problems.Length > 0) return (null, string.Join("; ", problems));

        var catalog = CatalogSet.Find(predicate.Framework);
        return (new LetterState
        {
            LetterId = predicate.LetterId.ToString(),
            Provider = page.Name,
            SignatureValid = true,
            Revoked = result.Revoked == true,
            Expired = result.Expired,
            ValidUntil = DateOnly.FromDateTime(predicate.ValidUntil.UtcDateTime),
            Framework = catalog?.Framework ?? predicate.Framework,
            Issuer = predicate.Issuer,
            AssessedOn = predicate.AssessedOn,
            Score = predicate.Score.ValueKind == JsonValueKind.Number && predicate.Score.TryGetInt32(out var s) ? s : null,
            CmmcLevel2 = predicate.Cmmc.ValueKind == JsonValueKind.Object && predicate.Cmmc.TryGetProperty("level2", out var l2) && l2.ValueKind == JsonValueKind.Object
                && l2.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null,
            // Which requirements the attested assessment met is not in the signed letter; the publishing installation states it for the letter in force.
            MetRequirements = page.Attested,
        }, null);
    }

    private static string Normalize(string name) => string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static async Task<PublishedKeys> KeysAsync(HttpClient http, Uri root, string address, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = await GetAsync(http, new Uri(root, ".well-known/custodes/keys"), MaxPageBytes, address, ct);
        }
        catch (BadInputException e)
        {
            return new PublishedKeys(null, new Dictionary<string, (Ed25519PublicKey, DateTime, DateTime?)>(), $"the installation's keys could not be read: {e.Message}");
        }
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            var log = NoteVerifier.Parse(doc.RootElement.GetProperty("log").GetProperty("verifier_key").GetString() ?? "");
            var firms = new Dictionary<string, (Ed25519PublicKey, DateTime, DateTime?)>(StringComparer.Ordinal);
            if (doc.RootElement.TryGetProperty("keys", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var k in list.EnumerateArray())
                {
                    if (k.ValueKind != JsonValueKind.Object || !k.TryGetProperty("key_id", out var id) || id.ValueKind != JsonValueKind.String
                        || !k.TryGetProperty("public_key_pem", out var pem) || pem.ValueKind != JsonValueKind.String
                        || !k.TryGetProperty("not_before", out var nb) || !nb.TryGetDateTime(out var notBefore)) continue;
                    DateTime? notAfter = k.TryGetProperty("not_after", out var na) && na.ValueKind == JsonValueKind.String && na.TryGetDateTime(out var end) ? end.ToUniversalTime() : null;
                    Ed25519PublicKey key;
                    try
                    {
                        key = Ed25519PublicKey.FromPem(pem.GetString()!);
                    }
                    catch (BadInputException)
                    {
                        continue;
                    }
                    // A key is known by the hash of its own bytes: a document that files a key under another id cannot borrow that id.
                    if (key.KeyId == id.GetString()) firms[key.KeyId] = (key, notBefore.ToUniversalTime(), notAfter);
                }
            return new PublishedKeys(log, firms, null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or BadInputException or FormatException)
        {
            return new PublishedKeys(null, new Dictionary<string, (Ed25519PublicKey, DateTime, DateTime?)>(), "the installation does not publish its log's key at /.well-known/custodes/keys");
        }
    }

    private static Page ParsePage(byte[] body, string address)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{address} is not a trust page: {e.Message}", path: Field);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String || schema.GetString() != "custodes.trust/v1")
                throw new BadInputException($"{address} is not a trust page (custodes.trust/v1)", path: Field);
            var name = root.TryGetProperty("organization", out var org) && org.ValueKind == JsonValueKind.Object && org.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()! : throw new BadInputException($"{address}: the trust page names no organization", path: Field);
            var letters = new List<ListedLetter>();
            if (root.TryGetProperty("letters", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var l in list.EnumerateArray())
                {
                    if (l.ValueKind != JsonValueKind.Object) continue;
                    var issued = l.TryGetProperty("issued_at", out var i) && i.ValueKind == JsonValueKind.String
                        && DateTimeOffset.TryParse(i.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : DateTimeOffset.MinValue;
                    letters.Add(new ListedLetter(Text(l, "letter_id") ?? "", Text(l, "bundle_url"), issued));
                }
            var (matrix, attested) = Matrix(root, address);
            // Newest first whatever order the page lists them in: the newest letter that verifies is the one in force.
            return new Page(name, [.. letters.OrderByDescending(l => l.IssuedAt)], matrix, attested);
        }
    }

    private static (ResponsibilityMatrix?, IReadOnlySet<string>) Matrix(JsonElement root, string address)
    {
        var attested = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("matrix", out var m) || m.ValueKind != JsonValueKind.Object) return (null, attested);
        var framework = Text(m, "framework");
        var catalog = framework is null ? null : CatalogSet.Find(framework);
        if (catalog is null) throw new BadInputException($"{address}: the trust page's matrix is for an unknown framework '{framework}'", path: Field);
        var entries = new Dictionary<string, CrmEntry>(StringComparer.Ordinal);
        if (m.TryGetProperty("requirements", out var rows) && rows.ValueKind == JsonValueKind.Array)
            foreach (var row in rows.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object || Text(row, "id") is not { } id || catalog.Find(id) is null) continue;
                if (!InheritanceNames.Responsibilities.TryParse(Text(row, "responsibility") ?? "", out var responsibility)) continue;
                entries[id] = new CrmEntry(responsibility, Text(row, "description"), Text(row, "customer_action"));
                if (responsibility != Responsibility.Customer && row.TryGetProperty("attested", out var a) && a.ValueKind == JsonValueKind.True) attested.Add(id);
            }
        var publishedOn = Text(m, "published_on") is { } p && DateOnly.TryParseExact(p, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null;
        return (new ResponsibilityMatrix { Provider = "candidate", Framework = catalog.Framework, Title = Text(m, "title"), PublishedOn = publishedOn, Requirements = entries }, attested);
    }

    private static string? Text(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>One bounded GET; whatever goes wrong is bad input naming the address the person gave.</summary>
    private static async Task<byte[]> GetAsync(HttpClient http, Uri uri, long max, string address, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode == HttpStatusCode.NotFound) throw new BadInputException($"{address}: nothing is published at {uri} (404)", path: Field);
            if (!response.IsSuccessStatusCode) throw new BadInputException($"{address}: {uri} answered HTTP {(int)response.StatusCode}", path: Field);
            return await BoundedBody.ReadAsync(response, max, ct) ?? throw new BadInputException($"{address}: {uri} answered more than {max:N0} bytes", path: Field);
        }
        catch (HttpRequestException e)
        {
            throw new BadInputException($"{address} could not be read: {e.Message}", path: Field);
        }
        catch (OperationCanceledException)
        {
            throw new BadInputException($"{address} did not answer within {Deadline.TotalSeconds:0} seconds", path: Field);
        }
    }
}

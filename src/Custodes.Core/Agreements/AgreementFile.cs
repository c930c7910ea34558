using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Common.Documents;
using Custodes.SupplyChain;

namespace Custodes.Agreements;

/// <summary>Reads and writes <c>custodes.agreement/v1</c> files (YAML or JSON, contracts §14); every error names the file, JSON path and line.</summary>
public static class AgreementFile
{
    public const long MaxBytes = 4 * 1024 * 1024;
    public const int MaxObligations = 500;
    public const int MaxText = 4000;

    private static readonly string[] RootKeys = ["schema", "customer", "provider", "signed_on", "renews_on", "notice_days", "obligations"];
    private static readonly string[] ObligationKeys = ["id", "kind", "framework", "value", "cmmc_status", "text"];

    /// <summary>Parses and validates one agreement; nothing is returned unless all of it is valid.</summary>
    public static Agreement Parse(ReadOnlySpan<byte> bytes, string file)
    {
        var root = DocumentReader.Read(bytes, file).AsMap();
        root.OnlyKeys(RootKeys);
        var schema = root.Required("schema");
        if (schema.AsString() != Agreement.Schema) throw schema.Error($"unsupported schema {DocNodeExtensions.Describe(schema)}; expected '{Agreement.Schema}'");
        var obligations = new List<Obligation>();
        if (root.Get("obligations") is { } list && !list.IsNull())
            foreach (var item in list.AsList().Items)
            {
                var map = item.AsMap();
                map.OnlyKeys(ObligationKeys);
                obligations.Add(new Obligation
                {
                    Id = map.Required("id").AsString(),
                    Kind = map.Required("kind").Enum(AgreementNames.Kinds, "obligation kind"),
                    Framework = map.OptionalString("framework"),
                    Value = map.OptionalInt("value"),
                    CmmcStatus = map.OptionalString("cmmc_status"),
                    Text = map.OptionalString("text"),
                });
            }
        var agreement = new Agreement
        {
            Customer = root.Required("customer").AsString(),
            Provider = root.Required("provider").AsString(),
            SignedOn = root.OptionalDate("signed_on"),
            RenewsOn = root.OptionalDate("renews_on"),
            NoticeDays = root.OptionalInt("notice_days") ?? 0,
            Obligations = obligations,
        };
        Check(agreement, (path, message) => DocReading.ErrorAt(root, path, message));
        return agreement;
    }

    /// <summary>
    /// The content rules of an agreement, for a file and for one made in code (a form): each failure is reported at the JSON path of the
    /// field it is about (<c>$.obligations[2].value</c>), through <paramref name="error"/>.
    /// </summary>
    public static void Check(Agreement agreement, Func<string, string, Exception> error)
    {
        if (string.IsNullOrWhiteSpace(agreement.Customer)) throw error("$.customer", "the customer is missing");
        if (string.IsNullOrWhiteSpace(agreement.Provider)) throw error("$.provider", "the provider is missing");
        if (agreement.Customer == agreement.Provider) throw error("$.provider", "the provider and the customer are the same organization");
        if (agreement.NoticeDays is < 0 or > 3650) throw error("$.notice_days", $"the notice period is 0 to 3650 days, not {agreement.NoticeDays}");
        if (agreement is { SignedOn: { } signed, RenewsOn: { } renews } && renews <= signed)
            throw error("$.renews_on", $"the agreement renews on {Date(renews)}, which is not after it was signed ({Date(signed)})");
        if (agreement.NoticeDays > 0 && agreement.RenewsOn is null) throw error("$.notice_days", "a notice period needs the renewal date (renews_on)");
        if (agreement.Obligations.Count > MaxObligations) throw error("$.obligations", $"at most {MaxObligations} obligations");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < agreement.Obligations.Count; i++)
        {
            var o = agreement.Obligations[i];
            var at = $"$.obligations[{i}]";
            if (string.IsNullOrWhiteSpace(o.Id) || o.Id.Length > 100 || !o.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw error($"{at}.id", $"an obligation id is 1 to 100 letters, digits, '-', '_' or '.', not '{o.Id}'");
            if (!ids.Add(o.Id)) throw error($"{at}.id", $"obligation id '{o.Id}' is used twice");
            CheckFields(o, at, error);
        }
    }

    private static void CheckFields(Obligation o, string at, Func<string, string, Exception> error)
    {
        var kind = AgreementNames.Kinds.Name(o.Kind);
        var needsValue = o.Kind is ObligationKind.MinimumScore or ObligationKind.IncidentNoticeHours or ObligationKind.RestoreTestWithinDays;
        if (needsValue)
        {
            var (min, max, what) = o.Kind switch
            {
                ObligationKind.MinimumScore => (-203, 110, "a score"),
                ObligationKind.IncidentNoticeHours => (1, 8760, "hours"),
                _ => (1, 3650, "days"),
            };
            if (o.Value is not { } value) throw error($"{at}.value", $"a {kind} obligation needs a value ({what}, {min} to {max})");
            if (value < min || value > max) throw error($"{at}.value", $"the value of a {kind} obligation is {what} from {min} to {max}, not {value}");
        }
        else if (o.Value is not null) throw error($"{at}.value", $"a {kind} obligation takes no value");

        if (o.Kind == ObligationKind.ValidAttestation)
        {
            if (o.Framework is null) throw error($"{at}.framework", $"a {kind} obligation names the framework the letter attests ({string.Join(", ", Frameworks.All)})");
            if (CatalogSet.Find(o.Framework) is null) throw error($"{at}.framework", $"unknown framework '{o.Framework}'; expected one of {string.Join(", ", Frameworks.All)}");
        }
        else if (o.Framework is not null) throw error($"{at}.framework", $"a {kind} obligation takes no framework");

        if (o.Kind == ObligationKind.CmmcLevel)
        {
            if (o.CmmcStatus is null) throw error($"{at}.cmmc_status", $"a {kind} obligation names the lowest CMMC Level 2 status that meets it: conditional or final");
            if (!AgreementNames.CmmcStatuses.Contains(o.CmmcStatus)) throw error($"{at}.cmmc_status", $"unknown CMMC status '{o.CmmcStatus}'; expected conditional or final");
        }
        else if (o.CmmcStatus is not null) throw error($"{at}.cmmc_status", $"a {kind} obligation takes no CMMC status");

        if (o.Kind == ObligationKind.FreeText && string.IsNullOrWhiteSpace(o.Text)) throw error($"{at}.text", "a free-text obligation says what was promised (text)");
        if (o.Text is { Length: > MaxText }) throw error($"{at}.text", $"the text is at most {MaxText} characters");
    }

    /// <summary>Writes the agreement as indented JSON that <see cref="Parse"/> reads back to an equal agreement.</summary>
    public static byte[] ToJson(Agreement agreement)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Agreement.Schema);
            w.WriteString("customer", agreement.Customer);
            w.WriteString("provider", agreement.Provider);
            if (agreement.SignedOn is { } signed) w.WriteString("signed_on", Date(signed));
            if (agreement.RenewsOn is { } renews) w.WriteString("renews_on", Date(renews));
            if (agreement.NoticeDays != 0) w.WriteNumber("notice_days", agreement.NoticeDays);
            w.WriteStartArray("obligations");
            foreach (var o in agreement.Obligations)
            {
                w.WriteStartObject();
                w.WriteString("id", o.Id);
                w.WriteString("kind", AgreementNames.Kinds.Name(o.Kind));
                if (o.Framework is not null) w.WriteString("framework", o.Framework);
                if (o.Value is { } value) w.WriteNumber("value", value);
                if (o.CmmcStatus is not null) w.WriteString("cmmc_status", o.CmmcStatus);
                if (o.Text is not null) w.WriteString("text", o.Text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes the agreement as YAML with the same content as <see cref="ToJson"/>.</summary>
    public static byte[] ToYaml(Agreement agreement) => YamlText.FromJson(ToJson(agreement));

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

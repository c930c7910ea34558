namespace Custodes.Web.Pages.Shared;

/// <summary>
/// The jargon a customer meets, explained once where it appears: a page lists the terms it uses and <c>_Glossary.cshtml</c> renders them
/// as one "What these words mean" box, each with an anchor (<c>#term-sprs</c>) that the page's first use of the word links to.
/// </summary>
public static class Glossary
{
    public sealed record Term(string Key, string Word, string Meaning);

    public static readonly IReadOnlyList<Term> All =
    [
        new("cmmc", "CMMC", "Cybersecurity Maturity Model Certification: the US Department of Defense's program that checks whether a contractor protects "
            + "defense information. Level 2 follows the 110 safeguards of NIST SP 800-171. \"Final\" means all are in place; \"conditional\" means a few "
            + "may still be fixed within 180 days; \"no status\" means neither yet."),
        new("sprs", "SPRS score", "The Supplier Performance Risk System score: 110 when every NIST SP 800-171 safeguard is in place, minus 1, 3 or 5 "
            + "points for each one missing (as low as −203). Defense contractors report it to the government; insurers and customers ask for it too."),
        new("nist", "NIST SP 800-171", "A US government standard of 110 security safeguards (called requirements or controls) for protecting sensitive "
            + "information: who can sign in, backups, updates, monitoring and so on. The number before each one (3.1.12) is its place in the standard."),
        new("phi", "PHI", "Protected Health Information: patients' health records, which HIPAA requires a practice and its providers to protect."),
        new("pii", "PII", "Personally identifiable information: names, addresses, dates of birth and similar details about people."),
        new("cui", "CUI", "Controlled Unclassified Information: sensitive US government information a contractor must protect under NIST SP 800-171."),
        new("letter", "Letter of attestation", "A statement signed by an independent assessor firm saying what it found when it assessed an organization, "
            + "and until when. It is published in a public log, so it cannot be changed or back-dated, and withdrawing it is public too."),
        new("poam", "Plan of action (POA&M)", "The list of safeguards an organization has not finished, with who fixes each one and by when."),
        new("trust-page", "Trust page", "A public page where a provider shows its current letters and score, so customers and insurers can check them."),
        new("rmm", "RMM", "Remote monitoring and management: the tool an IT provider uses to look after your computers from afar (run updates, scripts, "
            + "remote control). Whoever controls it controls your computers."),
    ];

    public static Term? Find(string key) => All.FirstOrDefault(t => t.Key == key);
}

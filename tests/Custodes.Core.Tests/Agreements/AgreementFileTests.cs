using System.Text;
using Custodes.Agreements;
using Custodes.Common;

namespace Custodes.Core.Tests.Agreements;

public sealed class AgreementFileTests
{
    private const string Contract = """
        schema: custodes.agreement/v1
        customer: dental-042
        provider: percsoft
        signed_on: 2026-01-15
        renews_on: 2027-01-15
        notice_days: 90
        obligations:
          - {id: letter, kind: valid-attestation, framework: nist-sp800-171r2}
          - {id: score, kind: minimum-score, value: 88}
          - {id: restore, kind: restore-test-within-days, value: 180}
          - {id: notify, kind: incident-notice-hours, value: 72}
        """;

    private static Agreement Parse(string text) => AgreementFile.Parse(Encoding.UTF8.GetBytes(text), "agreement.yaml");

    private static BadInputException Refused(string text) => Assert.Throws<BadInputException>(() => Parse(text));

    [Fact]
    public void The_contract_example_is_read()
    {
        var a = Parse(Contract);
        Assert.Equal(("dental-042", "percsoft"), (a.Customer, a.Provider));
        Assert.Equal(new DateOnly(2027, 1, 15), a.RenewsOn);
        Assert.Equal(new DateOnly(2026, 10, 17), a.NoticeDeadline);
        Assert.Equal([ObligationKind.ValidAttestation, ObligationKind.MinimumScore, ObligationKind.RestoreTestWithinDays, ObligationKind.IncidentNoticeHours],
            a.Obligations.Select(o => o.Kind));
        Assert.Equal(88, a.Obligations[1].Value);
    }

    [Fact]
    public void Every_kind_reads_back_the_same_from_its_json_and_its_yaml()
    {
        var a = Parse(Contract + """

              - {id: cmmc, kind: cmmc-level, cmmc_status: final}
              - {id: mfa, kind: mfa-on-remote-tools}
              - {id: immutable, kind: immutable-backup}
              - {id: audit, kind: right-to-audit}
              - {id: watched, kind: watched-rmm}
              - {id: insurance, kind: free-text, text: "Keeps cyber insurance of at least $1M"}
            """);
        Assert.Equal(10, a.Obligations.Count);
        foreach (var bytes in new[] { AgreementFile.ToJson(a), AgreementFile.ToYaml(a) })
        {
            var back = AgreementFile.Parse(bytes, "exported");
            Assert.Equal(a with { Obligations = [] }, back with { Obligations = [] });
            Assert.Equal(a.Obligations, back.Obligations);
        }
    }

    [Fact]
    public void An_unknown_kind_is_refused_at_its_line_naming_the_known_ones()
    {
        var e = Refused(Contract.Replace("kind: minimum-score", "kind: minimum-scor"));
        Assert.Equal(("agreement.yaml", "$.obligations[1].kind", 9L), (e.File, e.Path, e.Line));
        Assert.Contains("valid-attestation", e.Message);
    }

    [Fact]
    public void A_missing_value_is_refused_at_the_obligation()
    {
        var e = Refused(Contract.Replace("{id: score, kind: minimum-score, value: 88}", "{id: score, kind: minimum-score}"));
        Assert.Equal("$.obligations[1].value", e.Path);
        Assert.Equal(9L, e.Line);
        Assert.Contains("needs a value", e.Message);
    }

    [Fact]
    public void A_value_out_of_range_names_the_range()
    {
        var e = Refused(Contract.Replace("value: 72", "value: 0"));
        Assert.Equal("$.obligations[3].value", e.Path);
        Assert.Equal(11L, e.Line);
        Assert.Contains("hours from 1 to 8760", e.Message);
    }

    [Fact]
    public void A_field_the_kind_does_not_take_is_refused()
    {
        var e = Refused(Contract.Replace("{id: restore, kind: restore-test-within-days, value: 180}", "{id: restore, kind: restore-test-within-days, value: 180, framework: cmmc-l2}"));
        Assert.Equal("$.obligations[2].framework", e.Path);
        Assert.Equal(10L, e.Line);
    }

    [Fact]
    public void An_obligation_id_used_twice_is_refused_at_the_second()
    {
        var e = Refused(Contract.Replace("{id: notify,", "{id: score,"));
        Assert.Equal("$.obligations[3].id", e.Path);
        Assert.Contains("used twice", e.Message);
    }

    [Fact]
    public void An_unknown_framework_and_an_unknown_field_are_refused()
    {
        Assert.Equal("$.obligations[0].framework", Refused(Contract.Replace("nist-sp800-171r2", "iso-27001")).Path);
        var e = Refused(Contract.Replace("notice_days: 90", "notice_days: 90\nnotice: 30"));
        Assert.Equal(7L, e.Line);
        Assert.Contains("unknown field 'notice'", e.Message);
    }

    [Fact]
    public void A_renewal_before_signing_is_refused_on_the_renewal_date()
    {
        var e = Refused(Contract.Replace("renews_on: 2027-01-15", "renews_on: 2025-01-15"));
        Assert.Equal(("$.renews_on", 5L), (e.Path, e.Line));
    }

    [Fact]
    public void A_json_agreement_is_located_too()
    {
        var e = Assert.Throws<BadInputException>(() => AgreementFile.Parse(Encoding.UTF8.GetBytes(
            "{\"schema\": \"custodes.agreement/v1\", \"customer\": \"a\", \"provider\": \"b\",\n \"obligations\": [\n  {\"id\": \"x\", \"kind\": \"free-text\"}]}"), "a.json"));
        Assert.Equal(("a.json", "$.obligations[0].text", 3L), (e.File, e.Path, e.Line));
    }
}

using Custodes.Application.Accounts;
using Custodes.Common;

namespace Custodes.Application.Tests;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("password1234")]
    [InlineData("Password1234!")]
    [InlineData("P@ssw0rd2024")]
    [InlineData("qwertyuiop123")]
    [InlineData("iloveyou2025!!")]
    [InlineData("football1234567")]
    [InlineData("passwordpassword")]
    public void Common_and_lightly_decorated_breached_passwords_are_refused(string password)
    {
        var verdict = PasswordPolicy.Check(password);
        Assert.False(verdict.Acceptable, password);
        Assert.Contains("breaches", verdict.Problem);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaa")]
    [InlineData("abababababababab")]
    [InlineData("abcdefghijklmn")]
    [InlineData("zyxwvutsrqponm")]
    public void Repeated_characters_and_runs_are_refused(string password) =>
        Assert.Contains("guessed at once", PasswordPolicy.Problem(password));

    [Fact]
    public void Short_passwords_are_refused_with_how_many_characters_they_have() =>
        Assert.Contains("at least 12 characters (yours has 9)", PasswordPolicy.Problem("Tr0ub4dor"));

    [Theory]
    [InlineData("ana.lopez@northgate.example", "Northgate Assessors", "my name is ana.lopez ok")]
    [InlineData("ana.lopez@northgate.example", "Northgate Assessors", "lopez family trip 2026")]
    [InlineData("ana@firm.example", "Smile Dental Group", "smiledental is great")]
    [InlineData("ana@firm.example", "Harbor MSP", "sailing to the harbor msp")]
    public void A_password_holding_the_email_or_organization_name_is_refused(string email, string organization, string password) =>
        Assert.Contains("must not contain your email or organization name", PasswordPolicy.Problem(password, email, organization));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("violet kayak under the lighthouse")]
    [InlineData("T7#qv!9Lm@2zR")]
    public void Long_unusual_passwords_pass_with_a_score(string password)
    {
        var verdict = PasswordPolicy.Check(password, "ana@firm.example", "Smile Dental Group");
        Assert.True(verdict.Acceptable, verdict.Problem);
        Assert.InRange(verdict.Score, 2, 4);
    }

    [Fact]
    public void The_shipped_list_is_the_zxcvbn_frequency_list()
    {
        // Its first and some well-known entries; a list that failed to load would refuse nothing.
        foreach (var common in new[] { "123456789012", "sunshine2024!", "trustno1trustno1" })
            Assert.Throws<BadInputException>(() => PasswordPolicy.Require(common));
    }
}

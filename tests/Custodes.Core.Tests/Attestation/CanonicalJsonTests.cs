using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodes.Core.Tests.Attestation;

public sealed class CanonicalJsonTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Canonicalizes_the_RFC_8785_section_3_2_2_example()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        Assert.Equal("""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""", Canonical(input));
    }

    [Fact]
    public void Sorts_members_by_UTF_16_code_units_as_in_RFC_8785_section_3_2_3()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        // U+1F600 sorts before U+FB33 because its UTF-16 high surrogate D83D is below FB33 (by code points it would not).
        Assert.Equal(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            Canonical(input));
    }

    [Fact]
    public void Writes_the_RFC_8785_UTF_8_bytes_of_the_sorting_example()
    {
        var bytes = CanonicalJson.Canonicalize("""{"\u20ac":1,"\ufb33":2,"\ud83d\ude00":3}"""u8);
        Assert.Equal("7b22e282ac223a312c22f09f9880223a332c22efacb3223a327d", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Leaves_DEL_and_non_ASCII_unescaped_and_escapes_other_controls_in_lowercase_hex()
    {
        Assert.Equal("\"\u007f\\u0000\\u001f\\b\\t\\n\\f\\r</script>\u2028\"", Canonical("\"\\u007f\\u0000\\u001F\\b\\t\\n\\f\\r<\\/script>\\u2028\""));
    }

    [Fact]
    public void Sorts_nested_objects_and_keeps_array_order()
    {
        Assert.Equal("""{"a":{"b":[3,{"c":1,"d":2},1],"z":null},"b":[]}""", Canonical("""{ "b": [ ], "a": { "z": null, "b": [3, {"d": 2, "c": 1}, 1] } }"""));
    }

    // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical form.
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Formats_the_RFC_8785_appendix_B_numbers(string bits, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(bits, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
        Assert.Equal(expected, Canonical(value.ToString("R", CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("7fffffffffffffff")]
    [InlineData("7ff0000000000000")]
    [InlineData("fff0000000000000")]
    public void NaN_and_infinities_cannot_be_canonicalized(string bits) =>
        Assert.Throws<BadInputException>(() => CanonicalJson.FormatNumber(BitConverter.Int64BitsToDouble(long.Parse(bits, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));

    // 4,338 doubles (random bit patterns, notation boundaries, short decimals) with the string Node.js 20 gives them.
    [Fact]
    public void Formats_numbers_exactly_as_ECMAScript_does()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Attestation", "Vectors", "es6-numbers.txt");
        var failures = new List<string>();
        var count = 0;
        foreach (var line in File.ReadLines(path))
        {
            var space = line.IndexOf(' ');
            var value = BitConverter.Int64BitsToDouble(unchecked((long)ulong.Parse(line.AsSpan(0, space), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            var expected = line[(space + 1)..];
            if (CanonicalJson.FormatNumber(value) != expected) failures.Add($"{line} → {CanonicalJson.FormatNumber(value)}");
            count++;
        }
        Assert.True(count > 4000);
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"x":{"a":1,"b":2,"a":3}}""")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"\\udc00x\"")]
    [InlineData("{\"\\ud800\":1}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":1")]
    [InlineData("")]
    [InlineData("[1,]")]
    [InlineData("NaN")]
    public void Input_that_is_not_I_JSON_is_bad_input(string json) =>
        Assert.Throws<BadInputException>(() => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void A_bad_input_error_names_the_file_and_the_path()
    {
        var error = Assert.Throws<BadInputException>(() => CanonicalJson.Canonicalize("""{"x":{"n":1e999}}"""u8, "letter.json"));
        Assert.Equal("letter.json", error.File);
        Assert.Equal("$.x.n", error.Path);
    }

    [Fact]
    public void Json_nodes_canonicalize_like_the_text_they_serialize_to()
    {
        var node = new JsonObject { ["b"] = 0.1 + 0.2, ["a"] = new JsonArray(1, "é", null, true), ["c"] = 1e21 };
        Assert.Equal("""{"a":[1,"é",null,true],"b":0.30000000000000004,"c":1e+21}""", Encoding.UTF8.GetString(CanonicalJson.Serialize(node)));
    }

    // ---- Properties ----------------------------------------------------------------------------

    public static class JsonValues
    {
        private static Gen<JsonNode?> Value(int depth)
        {
            var scalar = Gen.OneOf(
                Gen.Constant<JsonNode?>(null),
                ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
                ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => (JsonNode?)JsonValue.Create(f.Get)),
                ArbMap.Default.GeneratorFor<int>().Select(i => (JsonNode?)JsonValue.Create(i)),
                ArbMap.Default.GeneratorFor<UnicodeString>().Select(s => (JsonNode?)JsonValue.Create(Sanitize(s.Item))));
            if (depth == 0) return scalar;
            var array = Value(depth - 1).ListOf().Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())]));
            var obj = Gen.Zip(ArbMap.Default.GeneratorFor<UnicodeString>().Select(s => Sanitize(s.Item)), Value(depth - 1)).ListOf()
                .Select(members =>
                {
                    var o = new JsonObject();
                    foreach (var (name, value) in members) o[name] = value?.DeepClone();
                    return (JsonNode?)o;
                });
            return Gen.OneOf(scalar, array, obj);
        }

        // Lone surrogates are not I-JSON; keep the rest of Unicode.
        private static string Sanitize(string? s)
        {
            var builder = new StringBuilder();
            foreach (var rune in (s ?? "").EnumerateRunes()) if (rune != Rune.ReplacementChar) builder.Append(rune.ToString());
            return builder.ToString();
        }

        public static Arbitrary<JsonNode?> Arbitrary() => Value(3).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(JsonValues)], MaxTest = 200)]
    public void Canonical_form_is_a_fixed_point(JsonNode? node)
    {
        var once = CanonicalJson.Serialize(node);
        Assert.Equal(once, CanonicalJson.Canonicalize(once));
    }

    [Property(Arbitrary = [typeof(JsonValues)], MaxTest = 200)]
    public void Whitespace_member_order_and_escapes_do_not_change_the_canonical_form(JsonNode? node)
    {
        var shuffled = Shuffle(node?.DeepClone(), new Random(42));
        var pretty = JsonSerializer.SerializeToUtf8Bytes(shuffled, new JsonSerializerOptions { WriteIndented = true });
        Assert.Equal(CanonicalJson.Serialize(node), CanonicalJson.Canonicalize(pretty));
    }

    private static JsonNode? Shuffle(JsonNode? node, Random random)
    {
        switch (node)
        {
            case JsonObject o:
                var members = o.ToList();
                o.Clear();
                var shuffled = new JsonObject();
                foreach (var (name, value) in members.OrderBy(_ => random.Next())) shuffled[name] = Shuffle(value, random);
                return shuffled;
            case JsonArray a:
                var items = a.ToList();
                a.Clear();
                return new JsonArray([.. items.Select(i => Shuffle(i, random))]);
            default:
                return node;
        }
    }
}

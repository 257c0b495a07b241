using System.Text;
using System.Text.Json;
using MlOps.Contracts.Serialization;
using MlOps.Contracts.Validation;
using static MlOps.Contracts.Tests.Examples;

namespace MlOps.Contracts.Tests;

/// <summary>
/// Hostile and broken input: the validator runs on every record a consumer reads, so one exception would stop
/// a partition. Fixed seed, so a failure reproduces.
/// </summary>
public class EventValidatorFuzzTests
{
    private const int Cases = 20_000;

    private static readonly string[] Seeds =
    [
        Prediction,
        Outcome,
        """{"schemaVersion":1,"predictionId":"p","model":"price","modelVersion":"1","timestamp":"2026-01-01T00:00:00Z","features":{"sqft":1,"has_garage":false},"prediction":3.5}""",
        """{"schemaVersion":1,"predictionId":"p","model":"price","timestamp":"2026-01-01T00:00:00+02:00","actual":-1e-300}""",
    ];

    // Fragments spliced into records: the awkward corners of JSON and of number parsing.
    private static readonly string[] Fragments =
    [
        "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0", "0.0000000000000000000001", "NaN", "Infinity",
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"\\uZZZZ\"", "\"\\\"", "null", "true", "false", "[]", "{}",
        "\"predictionId\":\"x\",", "\"model\":\"churn\",", "\"model\":\"price\",", "\"features\":{},", "\"schemaVersion\":1,",
        "\"age\":1,\"age\":2,", "\"prediction\":{\"a\":[1]},", "\uFEFF", "\u00e9", "\u2028", "\ud83d\ude00", ",", ":", "\"",
        "{", "}", "[", "]", "/* */", "'", "\\", "\t\r\n ",
    ];

    [Fact]
    public void Validator_never_throws_and_always_returns_a_value_or_errors()
    {
        var random = new Random(20261124);
        var seeds = Seeds.Select(Utf8).ToArray();
        var valid = 0;
        var codes = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < Cases; i++)
        {
            var input = Mutate(random, seeds[random.Next(seeds.Length)], i);

            valid += Check(Validator.ValidatePrediction(input), input, codes) + Check(Validator.ValidateOutcome(input), input, codes);
        }

        // If no mutation keeps a record valid, or some reason never comes up, the generator is too weak to prove much.
        Assert.InRange(valid, 1, 2 * Cases - 1);
        Assert.Equal(RejectReason.All.Where(c => c != RejectReason.TooLarge).Order(), codes.Order());
    }

    // A plain record is read once, any other twice (EventValidator): both ways must give the same answer, valid
    // events field by field and rejections error by error, on the same mutated records.
    [Fact]
    public void One_pass_and_two_passes_give_the_same_result_for_every_record()
    {
        var twoPasses = new EventValidator(Lookup) { SinglePass = false };
        var random = new Random(20261203);
        var seeds = Seeds.Concat(Reordered).Select(Utf8).ToArray();
        int singlePassValid = 0;
        for (var i = 0; i < Cases; i++)
        {
            var input = i < seeds.Length ? seeds[i] : Mutate(random, seeds[random.Next(seeds.Length)], i);
            var prediction = Validator.ValidatePrediction(input);
            var outcome = Validator.ValidateOutcome(input);
            AssertSame(twoPasses.ValidatePrediction(input), prediction, r => JsonSerializer.Serialize(r, ContractsJsonContext.Default.PredictionEvent), input);
            AssertSame(twoPasses.ValidateOutcome(input), outcome, r => JsonSerializer.Serialize(r, ContractsJsonContext.Default.OutcomeEvent), input);
            singlePassValid += (prediction.IsValid ? 1 : 0) + (outcome.IsValid ? 1 : 0);
        }

        Assert.True(singlePassValid > 100, $"only {singlePassValid} mutated records were valid: the comparison proves little");
    }

    // Records the single pass must hand to both passes: the model after what needs its schema, trailing data, a
    // root that is not an object, an escape, an unknown model.
    private static readonly string[] Reordered =
    [
        """{"features":{"sqft":1,"has_garage":false},"schemaVersion":1,"predictionId":"p","model":"price","modelVersion":"1","timestamp":"2026-01-01T00:00:00Z","prediction":3.5}""",
        """{"schemaVersion":1,"predictionId":"p","actual":-1,"model":"price","timestamp":"2026-01-01T00:00:00+02:00"}""",
        """{"schemaVersion":1,"predictionId":"p","model":"price","timestamp":"2026-01-01T00:00:00+02:00","actual":-1} {}""",
        """{"schemaVersion":1,"predictionId":"p","model":"price","timestamp":"2026-01-01T00:00:00+02:00","actual":-1} x""",
        """[{"schemaVersion":1,"predictionId":"p","model":"price","timestamp":"2026-01-01T00:00:00+02:00","actual":-1}]""",
        """{"schemaVersion":1,"predictionId":"p\u0041","model":"price","timestamp":"2026-01-01T00:00:00+02:00","actual":-1}""",
        """{"schemaVersion":1,"predictionId":"p","model":"nope","timestamp":"2026-01-01T00:00:00+02:00","actual":-1}""",
    ];

    private static void AssertSame<T>(ValidationResult<T> expected, ValidationResult<T> actual, Func<T, string> json, byte[] input)
        where T : class
    {
        string record = Convert.ToBase64String(input);
        Assert.True(expected.IsValid == actual.IsValid, $"valid {expected.IsValid} vs {actual.IsValid}: {record}");
        Assert.True(expected.Errors.SequenceEqual(actual.Errors), $"errors differ: {record}");
        Assert.Equal(expected.Model, actual.Model);
        Assert.Equal(expected.UnknownModel, actual.UnknownModel);
        if (expected.Value is { } e)
        {
            Assert.Equal(json(e), json(actual.Value!));
        }
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{\"a\":")]
    [InlineData("{\"features\":")]
    public void Ten_thousand_levels_of_nesting_are_rejected_as_not_json(string opener)
    {
        var open = string.Concat(Enumerable.Repeat(opener, 10_000));
        var close = opener == "[" ? new string(']', 10_000) : new string('}', 10_000);

        foreach (var input in new[] { open, open + "1" + close })
        {
            ValidationAssert.RejectedOnly(Validator.ValidatePrediction(Utf8(input)), RejectReason.NotJson, "$");
        }
    }

    [Fact]
    public void A_record_of_exactly_the_size_limit_is_parsed_and_one_byte_more_is_too_large()
    {
        var record = Utf8(Outcome);
        var atLimit = new EventValidator(Lookup, new ValidationOptions { MaxRecordBytes = record.Length });
        var belowLimit = new EventValidator(Lookup, new ValidationOptions { MaxRecordBytes = record.Length - 1 });

        ValidationAssert.Valid(atLimit.ValidateOutcome(record));
        ValidationAssert.RejectedOnly(belowLimit.ValidateOutcome(record), RejectReason.TooLarge, "$");
    }

    private static int Check<T>(ValidationResult<T> result, byte[] input, HashSet<string> codes)
        where T : class
    {
        if (result.IsValid)
        {
            Assert.Empty(result.Errors);
            return 1;
        }

        Assert.True(result.Errors.Count > 0, "rejected without a reason: " + Convert.ToBase64String(input));
        Assert.All(result.Errors, e => Assert.Contains(e.Code, RejectReason.All));
        codes.UnionWith(result.Errors.Select(e => e.Code));
        return 0;
    }

    private static byte[] Mutate(Random random, byte[] seed, int i) => (i % 8) switch
    {
        0 => seed[..random.Next(seed.Length + 1)],
        1 => FlipBits(random, seed),
        2 => RandomBytes(random),
        3 => Splice(random, seed, Fragments[random.Next(Fragments.Length)]),
        4 => Splice(random, Splice(random, seed, Fragments[random.Next(Fragments.Length)]), Fragments[random.Next(Fragments.Length)]),
        5 => ReplaceValue(random, seed),
        6 => Nest(random),
        _ => Splice(random, seed, " "),
    };

    private static byte[] FlipBits(Random random, byte[] seed)
    {
        var copy = (byte[])seed.Clone();
        for (var flips = random.Next(1, 4); flips > 0; flips--)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        if (bytes.Length > 0 && random.Next(2) == 0)
        {
            bytes[0] = (byte)'{'; // get past the first byte sometimes
        }

        return bytes;
    }

    private static byte[] Splice(Random random, byte[] seed, string fragment)
    {
        var at = random.Next(seed.Length + 1);
        var insert = Encoding.UTF8.GetBytes(fragment);
        return [.. seed.AsSpan(0, at), .. insert, .. seed.AsSpan(at)];
    }

    // Swap the value after a random ':' for a fragment, which keeps the record well-formed more often than splicing.
    private static byte[] ReplaceValue(Random random, byte[] seed)
    {
        var colons = Enumerable.Range(0, seed.Length).Where(j => seed[j] == (byte)':').ToArray();
        var at = colons[random.Next(colons.Length)] + 1;
        var end = at;
        while (end < seed.Length && seed[end] is not ((byte)',' or (byte)'}'))
        {
            end++;
        }

        var value = Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]);
        return [.. seed.AsSpan(0, at), .. value, .. seed.AsSpan(end)];
    }

    private static byte[] Nest(Random random)
    {
        var depth = random.Next(1, 10_001);
        var inner = random.Next(3) switch
        {
            0 => new string('[', depth),
            1 => string.Concat(Enumerable.Repeat("{\"a\":", depth)),
            _ => "{\"features\":" + new string('[', depth) + "1" + new string(']', depth) + "}",
        };
        return Utf8(inner);
    }
}

using MlOps.Monitoring.Windows;
using MlOps.Statistics.Profiles;
using MlOps.Statistics.Serialization;
using Xunit.Abstractions;

namespace MlOps.Monitoring.Tests;

/// <summary>The merged window profile kept with each window result (for its drift report): lossless and small.</summary>
public sealed class WindowProfileSerializerTests(ITestOutputHelper output)
{
    [Fact]
    public void A_stored_window_profile_reads_back_exactly_and_stays_small_whatever_the_rows()
    {
        foreach (int rows in (int[])[1_000, 100_000])
        {
            var (reference, window) = Profiles(rows);
            byte[] stored = WindowPartialSerializer.SerializeProfile(window);
            var back = WindowPartialSerializer.DeserializeProfile(stored);

            Assert.Equal(ProfileSerializer.Serialize(window), ProfileSerializer.Serialize(back));
            Assert.Equal(reference.EvaluateDrift(window).Features, reference.EvaluateDrift(back).Features);
            output.WriteLine($"{rows} rows, 15 numeric + 5 categorical features: {stored.Length} bytes stored, {ProfileSerializer.Serialize(window).Length} bytes as JSON");
            // Bounded by bins, sketch buckets and categories, never by rows.
            Assert.InRange(stored.Length, 1, 48 * 1024);
        }
    }

    [Fact]
    public void Bytes_that_are_not_a_stored_profile_are_a_format_error()
    {
        Assert.Throws<FormatException>(() => WindowPartialSerializer.DeserializeProfile([1, 2, 3, 4]));
    }

    // A 20-feature model: its reference, and a window profiled on the reference's bins.
    private static (DatasetProfile Reference, DatasetProfile Window) Profiles(int rows)
    {
        var random = new Random(7);
        var reference = new DatasetProfile();
        for (int f = 0; f < 15; f++)
            reference.AddFeature($"n{f}", NumericProfile.Build([.. Enumerable.Range(0, 5000).Select(_ => Value(random, f))]));
        for (int f = 0; f < 5; f++)
        {
            var categories = new CategoricalProfile();
            for (int i = 0; i < 5000; i++)
                categories.Add($"cat-{random.Next(10 + f * 10)}");
            reference.AddFeature($"c{f}", categories);
        }

        reference.AddRows(5000);
        var window = reference.CreateEmpty();
        for (int i = 0; i < rows; i++)
        {
            foreach (var (name, profile) in window.Features)
            {
                if (profile is NumericProfile n)
                    n.Add(Value(random, int.Parse(name.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)) * 1.1);
                else
                    ((CategoricalProfile)profile).Add($"cat-{random.Next(60)}");
            }
        }

        window.AddRows(rows);
        return (reference, window);
    }

    // Features of different shapes and scales: normal, log-normal (incomes), uniform, small integers.
    private static double Value(Random random, int feature) => (feature % 4) switch
    {
        0 => 40 + 10 * Normal(random),
        1 => Math.Exp(10 + Normal(random)),
        2 => random.NextDouble() * 1000,
        _ => random.Next(12),
    };

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

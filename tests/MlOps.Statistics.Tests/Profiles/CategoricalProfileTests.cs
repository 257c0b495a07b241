using MlOps.Statistics.Profiles;
using MlOps.Statistics.Serialization;

namespace MlOps.Statistics.Tests.Profiles;

public class CategoricalProfileTests
{
    private static readonly string[] Plans = ["basic", "silver", "gold", "platinum", "trial"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Merge_is_associative_commutative_and_equals_profiling_the_concatenation(int seed)
    {
        var random = new Random(seed);
        var parts = new[] { new CategoricalProfile(), new CategoricalProfile(), new CategoricalProfile() };
        var whole = new CategoricalProfile();
        for (int i = 0; i < 10_000; i++)
        {
            string? value = random.Next(20) == 0 ? null : Plans[random.Next(Plans.Length)];
            whole.Add(value);
            var part = parts[random.Next(3)];
            if (value is null)
                part.Add((string?)null);
            else
                part.Add(value.AsSpan());
        }

        var left = (CategoricalProfile)parts[0].Clone();
        left.Merge(parts[1]);
        left.Merge(parts[2]);
        var right = (CategoricalProfile)parts[2].Clone();
        right.Merge(parts[0]);
        right.Merge(parts[1]);
        foreach (var merged in new[] { left, right })
        {
            Assert.Equal(whole.Counts.OrderBy(kv => kv.Key), merged.Counts.OrderBy(kv => kv.Key));
            Assert.Equal(whole.Missing, merged.Missing);
            Assert.Equal(whole.Count, merged.Count);
        }
    }

    [Fact]
    public void Categories_beyond_the_cap_go_to_other()
    {
        var profile = new CategoricalProfile(maxCategories: 3);
        foreach (string v in new[] { "a", "b", "c", "d", "e", "a" })
            profile.Add(v);
        Assert.Equal(3, profile.Counts.Count);
        Assert.Equal(2, profile.OtherCount);
        Assert.Equal(6, profile.Count);
        Assert.Equal(4, profile.DistinctCount);
    }

    [Fact]
    public void Serialization_round_trips()
    {
        var profile = new CategoricalProfile(maxCategories: 2);
        foreach (string? v in new[] { "x", "y", "z", null, "x" })
            profile.Add(v);
        var dataset = new DatasetProfile();
        dataset.AddFeature("plan", profile);
        var restored = (CategoricalProfile)ProfileSerializer.DeserializeDataset(ProfileSerializer.Serialize(dataset)).Features["plan"];
        Assert.Equal(profile.Counts.OrderBy(kv => kv.Key), restored.Counts.OrderBy(kv => kv.Key));
        Assert.Equal(1, restored.OtherCount);
        Assert.Equal(1, restored.Missing);
        Assert.Equal(2, restored.MaxCategories);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using MlOps.Monitoring.Hosting;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// Scale-out (issue 13, part 5): three monitor instances in one consumer group store the same window results as one
/// instance does for the same stream — counts, drift scores and verdicts, metrics, data quality — because a window is
/// the merge of per-partition partials, whichever instance built each.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ScaleOutTests
{
    [Fact]
    public async Task Three_monitors_in_one_group_store_the_same_window_results_as_one_monitor()
    {
        // One stream (same event times, same records), through two groups with stores and clusters of their own.
        var stream = new FaultStream();
        var runs = await Task.WhenAll(ResultsAsync(stream, instances: 1), ResultsAsync(stream, instances: 3));
        var (one, three) = (runs[0], runs[1]);

        Assert.Equal(stream.Windows, one.Count);
        Assert.Equal(one.Keys.Order(), three.Keys.Order());
        foreach (var (window, expected) in one)
        {
            var actual = three[window];
            Assert.Equal(expected.Predictions, actual.Predictions);
            Assert.Equal(expected.Labelled, actual.Labelled);
            Assert.Equal(expected.DatasetDrift, actual.DatasetDrift);
            Assert.Equal(expected.DriftedShare, actual.DriftedShare, 12);
            var differences = new List<string>();
            Compare(Comparable(expected.ResultJson), Comparable(actual.ResultJson), "$", differences);
            Assert.True(differences.Count == 0, $"window {DateTimeOffset.FromUnixTimeMilliseconds(window):HH:mm}: {string.Join("; ", differences.Take(20))}");
        }
    }

    // The stored results of the stream's model, by window start, after the group is quiet.
    private static async Task<Dictionary<long, WindowResultRow>> ResultsAsync(FaultStream stream, int instances)
    {
        await using var rig = await FaultRig.StartAsync(stream);
        // Several relays publish from one outbox: a window event may go out twice, always with its one message id.
        rig.Verdict.BusAtLeastOnce = instances > 1;
        using var producer = rig.Producer();
        var first = await rig.StartMonitorAsync();
        await rig.RegisterAsync(first);
        int third = stream.Length / 3;
        rig.Produce(producer, 0, third);
        if (instances > 1)
        {
            // The others join mid-stream: partitions move, with the state their first owner checkpointed.
            await rig.WaitCheckpointedAsync(Enumerable.Range(0, rig.Partitions), "the first third is checkpointed");
            var hosts = new List<MonitorHost> { first };
            hosts.AddRange(await Task.WhenAll(Enumerable.Range(1, instances - 1).Select(_ => rig.StartMonitorAsync())));
            await Eventually.HoldsAsync(() => Task.FromResult(hosts.All(h => h.Get<MonitorWorker>().AssignedPartitions.Count == rig.Partitions / instances)),
                "the group spreads the partitions over the instances", () => string.Join("; ", hosts.Select(h => $"[{string.Join(",", h.Get<MonitorWorker>().AssignedPartitions.Order())}]")), FaultScale.Recovery);
        }

        rig.ProduceRestAndSeal(producer, third);
        await rig.Verdict.AssertExactAsync(first);
        await using var c = await rig.Database.OpenAsync();
        var rows = await first.Get<MonitorStateStore>().ListResultsAsync(c, stream.Models[0], 0, long.MaxValue);
        return rows.Where(r => r.ConsumerGroup == rig.Group).ToDictionary(r => r.WindowStart);
    }

    // A result without what differs by run and not by content: when it was closed.
    private static JsonNode Comparable(string json)
    {
        var node = JsonNode.Parse(json)!;
        node.AsObject().Remove("closedAt");
        return node;
    }

    // Equal, numbers to 1e-9 relative (the same partials merge in the same order; floating point leaves no other room).
    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected)
        {
            case JsonObject e when actual is JsonObject a:
                foreach (var key in e.Select(kv => kv.Key).Union(a.Select(kv => kv.Key)))
                    Compare(e[key], a[key], $"{path}.{key}", differences);
                break;
            case JsonArray e when actual is JsonArray a && e.Count == a.Count:
                for (int i = 0; i < e.Count; i++)
                    Compare(e[i], a[i], $"{path}[{i}]", differences);
                break;
            case JsonValue e when actual is JsonValue a && e.TryGetValue(out double x) && a.TryGetValue(out double y):
                if (!(x == y || Math.Abs(x - y) <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y))))
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {x:R} vs {y:R}"));
                break;
            default:
                if (expected?.ToJsonString() != actual?.ToJsonString())
                    differences.Add($"{path}: {expected?.ToJsonString() ?? "missing"} vs {actual?.ToJsonString() ?? "missing"}");
                break;
        }
    }
}

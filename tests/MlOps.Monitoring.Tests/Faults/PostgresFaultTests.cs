using System.Globalization;
using System.Net;
using Dapper;
using MlOps.Monitoring.Hosting;
using Npgsql;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// PostgreSQL failing under a running monitor: the server stopped while a checkpoint transaction is half written
/// (its partials and join state in, its offsets waiting on a lock) and started again; and a checkpoint that carries
/// late labels committed by the server while its answer is lost, so the monitor cannot tell whether it counted. Both
/// are healed by the monitor's supervisor (<see cref="MonitorWorker"/>): the failed consumer run is dropped and a fresh
/// one restores every partition from what the store committed. Each ends with
/// <see cref="FaultVerdict.AssertExactAsync"/>. See <see cref="FaultSuite"/>.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PostgresFaultTests
{
    [Fact]
    public async Task PostgreSQL_stopping_in_the_middle_of_a_checkpoint_and_starting_again_loses_doubles_and_repeats_nothing()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(new FaultStream(), storage: postgres.Storage);
        // A relay whose "published" mark failed with the database publishes again, with the same message id.
        rig.Verdict.BusAtLeastOnce = true;
        var host = await rig.StartMonitorAsync(overrides: FastRestarts);
        await rig.RegisterAsync(host);
        var worker = host.Get<MonitorWorker>();
        double restartsBefore = StorageRestarts();
        using var producer = rig.Producer();
        int half = rig.Stream.Length / 2;
        rig.Produce(producer, 0, half);
        await rig.WaitCheckpointedAsync(Enumerable.Range(0, rig.Partitions), "the first half is checkpointed");
        using var http = host.Http(null);

        // Hold the offsets table: the next checkpoint writes its partials and join state, then waits for its offsets.
        var holder = new NpgsqlConnection(postgres.Storage.ConnectionString);
        try
        {
            await holder.OpenAsync();
            await using var tx = await holder.BeginTransactionAsync();
            await holder.ExecuteAsync("LOCK TABLE monitor_offsets IN EXCLUSIVE MODE", transaction: tx);
            rig.Produce(producer, half, rig.Stream.Length);
            // Asked on a connection of its own: pg_stat_activity is one snapshot per transaction.
            await using (var watcher = new NpgsqlConnection(postgres.Storage.ConnectionString))
            {
                await Eventually.HoldsAsync(async () => await watcher.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO monitor_offsets%'") > 0,
                    "a checkpoint waits in the middle of its transaction", FaultScale.Recovery);
            }

            await postgres.StopServerAsync();
        }
        finally
        {
            try
            {
                await holder.DisposeAsync();
            }
            catch (NpgsqlException)
            {
                // Its server went away under it.
            }
        }

        try
        {
            // The consumer's run fails and waits to start again; readiness says so in a few words, quoting nothing.
            await Eventually.HoldsAsync(() => Task.FromResult(worker.Restarts >= 1), "the consumer fails and is restarted", FaultScale.Recovery);
            var (status, body) = await ReadyAsync(http);
            Assert.True(status == HttpStatusCode.ServiceUnavailable && body.Contains("restarting the consumer after a failure (storage unavailable", StringComparison.Ordinal), $"/health/ready answered {status}: {body}");
            foreach (string leak in new[] { "Host=", "Username", postgres.Port.ToString(CultureInfo.InvariantCulture), "INSERT", "SELECT", "monitor_offsets", "Exception:" })
                Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
            await Task.Delay(FaultScale.Outage);
        }
        finally
        {
            await postgres.StartServerAsync();
        }

        rig.Stream.Seal(producer, rig.Group, rig.Partitions);
        await rig.Verdict.AssertExactAsync(host);
        Assert.True(StorageRestarts() - restartsBefore >= 1, "mlops_consumer_restarts_total{reason=\"storage\"} did not move");
        await Eventually.HoldsAsync(async () => (await ReadyAsync(http)).Status == HttpStatusCode.OK, "ready again", FaultScale.Recovery);
        Assert.Null(worker.State.Failure);
    }

    // Restarts in quick succession: the outage is short in the CI variant.
    private static readonly Dictionary<string, string?> FastRestarts = new()
    {
        ["MlOps:Monitoring:RestartDelay"] = "00:00:00.200",
        ["MlOps:Monitoring:RestartMaxDelay"] = "00:00:02",
    };

    private static double StorageRestarts() => Metrics.MonitoringMetrics.ConsumerRestarts.WithLabels("storage").Value;

    private static async Task<(HttpStatusCode Status, string Body)> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_checkpoint_committed_whose_answer_is_lost_neither_stalls_the_partition_nor_counts_its_late_labels_twice()
    {
        var schema = await TestDatabases.NewPostgresSchemaAsync();
        var server = new NpgsqlConnectionStringBuilder(schema.ConnectionString);
        await using var cutter = new CommitAckCutter(server.Port);
        // Plain text on the wire, so that the cutter can read the statements.
        var proxied = new NpgsqlConnectionStringBuilder(schema.ConnectionString) { Host = "127.0.0.1", Port = cutter.Port, SslMode = SslMode.Disable };
        try
        {
            await using var rig = await FaultRig.StartAsync(new FaultStream(), storage: new Storage.StorageOptions { Provider = schema.Provider, ConnectionString = proxied.ToString() });
            var host = await rig.StartMonitorAsync();
            await rig.RegisterAsync(host);
            using var producer = rig.Producer();
            rig.ProduceRestAndSeal(producer, 0);
            await rig.Verdict.AssertExactAsync(host);

            // Outcomes for window 0's unlabelled predictions, after it closed: the checkpoint that stores the first of
            // them as late labels commits, and its answer is lost.
            cutter.Arm("INSERT INTO window_label_partials");
            rig.Stream.ProduceLateOutcomes(producer, rig.Group, window: 0);
            await cutter.Fired.Task.WaitAsync(FaultScale.Recovery);
            await rig.Verdict.AssertExactAsync(host);
        }
        finally
        {
            await TestDatabases.DropAsync(schema);
        }
    }
}

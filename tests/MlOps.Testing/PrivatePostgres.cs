using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MlOps.Storage;

namespace MlOps.Testing;

/// <summary>
/// A PostgreSQL server of a test's own (Debian's PostgreSQL 15 binaries, <c>initdb</c> into a temporary folder, a
/// free loopback port), for tests that stop and start the database under a running host without disturbing the
/// shared server other tests use. As root it runs the server as the <c>postgres</c> user, which initdb requires.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string BinFolder = "/usr/lib/postgresql/15/bin";

    private readonly DirectoryInfo _folder;

    private PrivatePostgres(DirectoryInfo folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public StorageOptions Storage => new()
    {
        Provider = StorageProvider.Postgres,
        ConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=5",
    };

    public static async Task<PrivatePostgres> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinFolder, "initdb")))
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinFolder}/initdb is missing): run 'deploy/local/services.sh install'.");
        var folder = Directory.CreateTempSubdirectory("mlops-pg-");
        if (IsRoot)
            await RunAsync("chown", $"-R postgres:postgres {folder.FullName}", asPostgres: false);
        var server = new PrivatePostgres(folder, FreePort());
        await RunAsync(Path.Combine(BinFolder, "initdb"), $"-D {server.DataDirectory} -A trust -U postgres --no-sync", asPostgres: true);
        await server.StartServerAsync();
        return server;
    }

    private string DataDirectory => Path.Combine(_folder.FullName, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Starts the (stopped) server again and waits until it accepts connections.</summary>
    public Task StartServerAsync() =>
        RunAsync(Path.Combine(BinFolder, "pg_ctl"), $"-D {DataDirectory} -l {Path.Combine(_folder.FullName, "log")} -w -t 30 -o \"-p {Port} -k {_folder.FullName} -h 127.0.0.1 -c fsync=off\" start", asPostgres: true);

    /// <summary>Stops the server at once (fast shutdown: open connections are closed).</summary>
    public Task StopServerAsync() =>
        RunAsync(Path.Combine(BinFolder, "pg_ctl"), $"-D {DataDirectory} -m fast -w -t 30 stop", asPostgres: true);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }

        Npgsql.NpgsqlConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    private static async Task RunAsync(string file, string arguments, bool asPostgres)
    {
        var start = asPostgres && IsRoot
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {arguments} failed ({process.ExitCode}): {await error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

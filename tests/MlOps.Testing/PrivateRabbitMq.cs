using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MlOps.Testing;

/// <summary>
/// A RabbitMQ node of a test's own (Debian's RabbitMQ 3.10 scripts, a node name, data folder and free loopback ports
/// of its own, no plugins, the settings of <c>deploy/rabbitmq</c>), for tests that stop and start the broker under running hosts without disturbing the shared
/// node on 5672 that other tests use. As root it runs the node as the <c>rabbitmq</c> user, as the Debian scripts do.
/// Start takes 5–10 s here, a stop 1–3 s; a stop is graceful (SIGTERM): durable queues and persistent messages stay.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private const string ServerFolder = "/usr/lib/rabbitmq/lib";

    private readonly DirectoryInfo _folder;
    private readonly string _sbin;
    private readonly string _node;
    private readonly int _distPort;

    private PrivateRabbitMq(DirectoryInfo folder, string sbin, int port, int distPort)
    {
        _folder = folder;
        _sbin = sbin;
        Port = port;
        _distPort = distPort;
        _node = $"mlops-test-{Guid.NewGuid():N}"[..20] + "@localhost";
    }

    /// <summary>The AMQP port on 127.0.0.1 (user guest, password guest).</summary>
    public int Port { get; }

    /// <summary>The <c>MlOps:Bus</c> settings of a host that uses this node (and <paramref name="virtualHost"/> on it).</summary>
    public IReadOnlyDictionary<string, string?> BusSettings(string virtualHost = "/") => new Dictionary<string, string?>
    {
        ["MlOps:Bus:Transport"] = "RabbitMq",
        ["MlOps:Bus:Host"] = "127.0.0.1",
        ["MlOps:Bus:Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["MlOps:Bus:VirtualHost"] = virtualHost,
    };

    /// <summary>
    /// Creates a virtual host that guest may use, so that tests sharing the node never see each other's queues (a
    /// crashed host's unacknowledged messages stay in its queues). Takes a second or two: rabbitmqctl is an Erlang VM.
    /// </summary>
    public async Task<string> AddVirtualHostAsync()
    {
        string name = $"t-{Guid.NewGuid():N}"[..14];
        string ctl = Path.Combine(_sbin, "rabbitmqctl");
        await RunAsync(ctl, ["-n", _node, "-q", "add_vhost", name], NodeEnvironment());
        await RunAsync(ctl, ["-n", _node, "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"], NodeEnvironment());
        return name;
    }

    private static bool IsRoot => System.Environment.UserName == "root";

    public static async Task<PrivateRabbitMq> StartAsync()
    {
        string sbin = Directory.Exists(ServerFolder)
            ? Directory.GetDirectories(ServerFolder, "rabbitmq_server-*").Select(d => Path.Combine(d, "sbin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "rabbitmq-server"))) ?? ""
            : "";
        if (sbin.Length == 0)
            throw new InvalidOperationException($"RabbitMQ is not installed (no {ServerFolder}/rabbitmq_server-*/sbin/rabbitmq-server): run 'deploy/local/services.sh install'.");
        var folder = Directory.CreateTempSubdirectory("mlops-rabbitmq-");
        var server = new PrivateRabbitMq(folder, sbin, FreePort(), FreePort());
        Directory.CreateDirectory(Path.Combine(folder.FullName, "mnesia"));
        Directory.CreateDirectory(Path.Combine(folder.FullName, "log"));
        // No plugins: the management plugin would want the shared node's port 15672.
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "enabled_plugins"), "[].");
        // The settings a deployment gives its broker (deploy/rabbitmq), then this node's own listener.
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "rabbitmq.conf"),
            $"{DeploymentSettings()}\nlisteners.tcp.default = 127.0.0.1:{server.Port}\nloopback_users = none\n");
        if (IsRoot)
        {
            // The node runs as rabbitmq: the temporary folder (mode 700) becomes its own.
            await RunAsync("chmod", ["755", folder.FullName], environment: null);
            await RunAsync("chown", ["-R", "rabbitmq:rabbitmq", folder.FullName], environment: null);
        }

        try
        {
            await server.StartServerAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>A setting of the running node's <c>rabbit</c> application, as Erlang prints it (<c>{ok,1800000}</c>).</summary>
    public async Task<string> SettingAsync(string key) =>
        (await RunAsync(Path.Combine(_sbin, "rabbitmqctl"), ["-n", _node, "-q", "eval", $"application:get_env(rabbit, {key})."], NodeEnvironment())).Trim();

    // deploy/rabbitmq/20-mlops.conf of the repository the tests run from.
    private static string DeploymentSettings() => File.ReadAllText(RepositoryRoot.PathOf("deploy/rabbitmq/20-mlops.conf"));

    /// <summary>The queues of <paramref name="virtualHost"/> with their ready and unacknowledged messages, one per line (for failure messages).</summary>
    public async Task<string> ListQueuesAsync(string virtualHost) =>
        await RunAsync(Path.Combine(_sbin, "rabbitmqctl"), ["-n", _node, "-q", "list_queues", "-p", virtualHost, "name", "messages_ready", "messages_unacknowledged", "consumers"], NodeEnvironment());

    /// <summary>Starts the (stopped) node and waits until its AMQP port accepts connections.</summary>
    public async Task StartServerAsync()
    {
        await RunAsync(Path.Combine(_sbin, "rabbitmq-server"), ["-detached"], NodeEnvironment());
        var clock = Stopwatch.StartNew();
        while (!await AcceptsAsync(Port))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(90))
                throw new InvalidOperationException($"RabbitMQ node {_node} did not listen on 127.0.0.1:{Port} within 90 s; see {Path.Combine(_folder.FullName, "log")}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Stops the node (SIGTERM: a graceful stop, open connections are closed) and waits until it is gone.</summary>
    public async Task StopServerAsync()
    {
        if (ServerPid() is not { } pid)
            return;
        await RunAsync("kill", [pid.ToString(CultureInfo.InvariantCulture)], environment: null);
        // Not a child of this process: watch /proc rather than wait for it.
        var clock = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}"))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new InvalidOperationException($"RabbitMQ node {_node} (pid {pid}) did not stop within 60 s.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        finally
        {
            try
            {
                _folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A log file still being closed; the temporary folder is cleaned by the OS.
            }
        }
    }

    private int? ServerPid()
    {
        string pidFile = Path.Combine(_folder.FullName, "pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out int pid) && Directory.Exists($"/proc/{pid}")
            ? pid
            : null;
    }

    private Dictionary<string, string> NodeEnvironment() => new()
    {
        ["RABBITMQ_NODENAME"] = _node,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_folder.FullName, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(_folder.FullName, "log"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_folder.FullName, "enabled_plugins"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_folder.FullName, "rabbitmq"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(_folder.FullName, "pid"),
        // The node's Erlang cookie lives in its home; the Debian package's is /var/lib/rabbitmq.
        ["HOME"] = IsRoot ? "/var/lib/rabbitmq" : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile),
    };

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = environment is not null && IsRoot ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
        if (environment is not null && IsRoot)
        {
            foreach (string a in new[] { "-u", "rabbitmq", "--preserve-environment", "--", file })
                start.ArgumentList.Add(a);
        }

        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

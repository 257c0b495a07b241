using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace MlOps.Kafka;

/// <summary>
/// Picks the one librdkafka build this process uses, for Confluent.Kafka's clients and for the mock cluster's
/// fault injection alike, so both sides share one library (and one mock cluster registry).
/// </summary>
/// <remarks>
/// On linux-x64 with glibc the <c>librdkafka.redist</c> package's default <c>librdkafka.so</c> needs
/// <c>libsasl2.so.3</c>, which Debian lacks; its <c>centos8-librdkafka.so</c> needs only glibc, so that is the one
/// loaded. Confluent.Kafka's own <see cref="Library.Load(string)"/> opens the file through <c>libdl</c>, a name
/// that only exists with development packages installed (glibc ships <c>libdl.so.2</c>), so this class also
/// resolves Confluent.Kafka's <c>libdl</c> and librdkafka imports. Set <see cref="PathVariable"/> to choose
/// another build.
/// </remarks>
public static class KafkaNativeLibrary
{
    /// <summary>Environment variable naming a librdkafka file to load instead of the packaged one.</summary>
    public const string PathVariable = "MLOPS_LIBRDKAFKA_PATH";

    /// <summary>The import name of this assembly's own P/Invoke declarations.</summary>
    internal const string ImportName = "librdkafka";

    private static readonly Lock Gate = new();
    private static nint handle;
    private static nint libdl;

    /// <summary>The file loaded, or <c>null</c> when the runtime's default probing found librdkafka by name.</summary>
    public static string? LoadedPath { get; private set; }

    /// <summary>
    /// Loads librdkafka once per process, before any Confluent.Kafka client exists. Every factory in this assembly
    /// calls it; call it yourself before building a client with Confluent.Kafka's builders directly.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (handle != 0)
                return;

            var confluent = typeof(Library).Assembly;
            string? path = ChoosePath(confluent);
            handle = path is null
                ? NativeLibrary.Load(ImportName, confluent, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)
                : NativeLibrary.Load(path);
            LoadedPath = path;
            if (path is not null)
            {
                // Confluent.Kafka binds by name ("librdkafka", or a distribution-specific name); point every name at the file chosen.
                NativeLibrary.SetDllImportResolver(confluent, ResolveForConfluent);
            }

            NativeLibrary.SetDllImportResolver(typeof(KafkaNativeLibrary).Assembly, (name, _, _) => name == ImportName ? handle : 0);

            // Returns false when a client was created before this call; then Confluent.Kafka already chose its library.
            if (path is null)
                Library.Load();
            else
                Library.Load(path);
        }
    }

    /// <summary>The librdkafka handle; loads it first if needed.</summary>
    internal static nint Handle
    {
        get
        {
            EnsureLoaded();
            return handle;
        }
    }

    private static nint ResolveForConfluent(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name.EndsWith("librdkafka", StringComparison.Ordinal))
            return handle;
        if (name == "libdl")
        {
            if (libdl == 0 && !NativeLibrary.TryLoad("libdl.so.2", out libdl))
                NativeLibrary.TryLoad("libc.so.6", out libdl);
            return libdl;
        }

        return 0;
    }

    private static string? ChoosePath(Assembly confluent)
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new FileNotFoundException($"{PathVariable} names '{configured}', which does not exist", configured);
        }

        if (!OperatingSystem.IsLinux())
            return null;

        string rid = RuntimeInformation.RuntimeIdentifier;
        string file = rid.Contains("musl", StringComparison.Ordinal) ? "alpine-librdkafka.so"
            : RuntimeInformation.ProcessArchitecture == Architecture.X64 ? "centos8-librdkafka.so"
            : "librdkafka.so";
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string[] roots = [AppContext.BaseDirectory, Path.GetDirectoryName(confluent.Location) ?? AppContext.BaseDirectory];
        foreach (var root in roots)
        {
            // A framework-dependent build keeps natives under runtimes/<rid>/native; a RID-specific publish puts them next to the app.
            foreach (var candidate in new[] { Path.Combine(root, "runtimes", $"linux-{arch}", "native", file), Path.Combine(root, file) })
            {
                if (File.Exists(candidate))
                    return candidate;
            }
        }

        return null;
    }
}

namespace MlOps.Cli.Tests.Platform;

/// <summary>`mlops up` as Kubernetes, systemd, `timeout` and CI stop it: a real process and a real signal.</summary>
public sealed class SignalTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-signal-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // The process may still be closing its database file.
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Up_stops_cleanly_with_exit_code_0_within_10_seconds(string signal)
    {
        await using var up = await UpProcess.StartAsync(_data);
        Assert.All(up.KeyFiles, kv => Assert.Equal(Path.Combine(Path.GetFullPath(_data), $"{kv.Key}.key"), kv.Value));
        Assert.All(up.KeyFiles.Values, file => Assert.True(new FileInfo(file).Length > 16, $"{file} holds a key"));

        var (exitCode, took) = await up.StopAsync(signal);

        Assert.True(exitCode == 0, $"SIG{signal}: exit {exitCode} after {took.TotalSeconds:0.0} s:\n{up.Output}");
    }
}

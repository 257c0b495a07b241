namespace MlOps.Testing;

/// <summary>The checkout the tests run from: the folder holding MlOps.sln, found upwards from the test assembly.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Folder = new(Find);

    /// <summary>The folder holding MlOps.sln.</summary>
    public static string Path => Folder.Value;

    /// <summary>A file or folder of the repository, by its path from the root.</summary>
    public static string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "MlOps.sln")))
                return folder.FullName;
        }

        throw new InvalidOperationException($"MlOps.sln was not found in {AppContext.BaseDirectory} or any folder above it.");
    }
}

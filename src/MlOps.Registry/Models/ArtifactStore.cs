using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MlOps.Registry.Models;

/// <summary>
/// Artifacts on the filesystem, addressed by the SHA-256 of their content (<c>ab/abcdef…</c>): the same bytes are
/// stored once, a stored file never changes, and a download can be checked against its name.
/// </summary>
public sealed class ArtifactStore(IOptions<RegistryOptions> options)
{
    private readonly string _root = Path.GetFullPath(options.Value.ArtifactsPath);
    private readonly long _maxBytes = options.Value.MaxArtifactBytes;

    /// <summary>Streams <paramref name="content"/> to the store, hashing as it goes; returns its hash and size.</summary>
    public async Task<(string Sha256, long Size)> SaveAsync(Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        string temp = Path.Combine(_root, $".upload-{Guid.NewGuid():N}");
        try
        {
            long size = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > _maxBytes)
                        throw RegistryException.Invalid("artifact", $"The artifact is larger than the limit of {_maxBytes} bytes.");
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (size == 0)
                throw RegistryException.Invalid("artifact", "The artifact is empty.");
            string sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            string path = PathOf(sha);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path))
                File.Move(temp, path);
            return (sha, size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Opens a stored artifact for reading, or null when it is missing.</summary>
    public Stream? Open(string sha256)
    {
        string path = PathOf(sha256);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true) : null;
    }

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException("Not a SHA-256.", nameof(sha256));
        return Path.Combine(_root, sha256[..2], sha256);
    }
}

using System.Security.Cryptography;
using System.Text;
using MlOps.Hosting.Security;

namespace MlOps.Registry.Tests.Hosting;

/// <summary>The people the test registry knows, with their roles and API keys.</summary>
public static class Callers
{
    public const string Root = "root";
    public const string Ann = "ann";
    public const string Bob = "bob";

    /// <summary>An approver who also asks for promotions: four-eyes stops him approving his own.</summary>
    public const string Carl = "carl";

    public const string Vera = "vera";

    /// <summary>An app's ingest key: may post events to the monitor, read nothing here.</summary>
    public const string Pat = "pat";

    /// <summary>No key at all.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>A key the registry does not know.</summary>
    public const string Stranger = "stranger";

    public static IReadOnlyList<(string Name, string Role)> All { get; } =
    [
        (Root, Roles.Admin),
        (Ann, Roles.Approver),
        (Bob, Roles.Approver),
        (Carl, Roles.Approver),
        (Vera, Roles.Viewer),
        (Pat, Roles.Producer),
    ];

    public static string KeyOf(string name) => $"{name}-key-0123456789abcdef";

    /// <summary>Configuration for every caller; vera's key is given as its SHA-256 only, the way production configures keys.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration()
    {
        for (int i = 0; i < All.Count; i++)
        {
            var (name, role) = All[i];
            string prefix = $"MlOps:Auth:ApiKeys:{i}:";
            yield return new(prefix + "Name", name);
            yield return new(prefix + "Role", role);
            if (name == Vera)
                yield return new(prefix + "KeySha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KeyOf(name)))));
            else
                yield return new(prefix + "Key", KeyOf(name));
        }
    }
}

using System.Globalization;
using System.Text;

namespace MlOps.Reports;

/// <summary>
/// Stable element ids for user-named things: <c>feature-</c> and the name when it is made of ASCII letters, digits,
/// '-' and '_', else the name with every other character replaced by '_' and a hash of the exact name (so two names
/// that differ only in those characters still get two ids).
/// </summary>
public static class HtmlIds
{
    /// <summary>The id of a feature's section.</summary>
    public static string Feature(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var slug = new StringBuilder(name.Length);
        bool plain = name.Length > 0;
        foreach (char ch in name)
        {
            bool ok = char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_';
            plain &= ok;
            if (slug.Length < 64)
                slug.Append(ok ? ch : '_');
        }

        if (plain && name.Length <= 64)
            return "feature-" + name;
        // FNV-1a over the UTF-16 code units: deterministic across processes, unlike string.GetHashCode.
        uint hash = 2166136261;
        foreach (char ch in name)
            hash = (hash ^ ch) * 16777619;
        return string.Create(CultureInfo.InvariantCulture, $"feature-{slug}-{hash:x8}");
    }
}

using System.Text.Json.Nodes;

namespace MlOps.Registry.Models;

/// <summary>Small JSON objects for the audit log's before/after columns, built without reflection.</summary>
internal static class AuditJson
{
    public static string Of(params (string Key, JsonNode? Value)[] fields)
    {
        var o = new JsonObject();
        foreach (var (key, value) in fields)
            o[key] = value;
        return o.ToJsonString();
    }
}

using System.Text;
using System.Text.Json.Nodes;
using MlOps.Testing.Security;

namespace MlOps.IntegrationTests.Security;

/// <summary>Where a hostile value goes.</summary>
public enum SlotPlace
{
    Route,
    Query,
    Json,
    FormJson,
    FileName,
    Header,
}

/// <summary>
/// One string parameter of one endpoint: a route value, a query parameter, a field of the JSON body (or of a JSON form
/// part), a form part's file name, or the API key header; and the class that says what it must do with a hostile value.
/// </summary>
public sealed record Slot(SlotPlace Place, string Path, FieldClass Class)
{
    public const string ApiKeyHeader = "X-Api-Key";

    public const string FormBoundary = "mlops-hostile-boundary";

    public string Name => $"{Place.ToString().ToLowerInvariant()}:{Path}";

    /// <summary>URL and header values can be refused by Kestrel itself, before any MlOps code runs (an empty 400, 414 or 431).</summary>
    public bool TransportMayRefuse => Place is SlotPlace.Route or SlotPlace.Query or SlotPlace.Header;

    public override string ToString() => Name;

    /// <summary>Every slot of an endpoint: from its mapped route and handler, its body type and its table row.</summary>
    public static IReadOnlyList<Slot> Of(PlatformEndpoint row, MappedEndpoint mapped)
    {
        var slots = new List<Slot>();
        slots.AddRange(mapped.RouteParameters.Select(p => new Slot(SlotPlace.Route, p, FieldClass.Name)));
        slots.AddRange(mapped.QueryParameters.Select(p => new Slot(SlotPlace.Query, p, FieldClass.Name)));
        if (row.Policy is null)
            slots.Add(new Slot(SlotPlace.Query, "unexpected", FieldClass.Ignored));
        if (mapped.BodyType is { } body)
            slots.AddRange(BodyPaths.Of(body).Select(p => new Slot(SlotPlace.Json, p, row.FreeText.Contains(p) ? FieldClass.Text : FieldClass.Name)));
        foreach (var (part, type) in row.FormJsonTypes)
            slots.AddRange(BodyPaths.Of(type).Select(p => $"{part}:{p}").Select(p => new Slot(SlotPlace.FormJson, p, row.FreeText.Contains(p) ? FieldClass.Text : FieldClass.Name)));
        slots.AddRange(row.Fields.Select(f => new Slot(f.Key.Contains(':', StringComparison.Ordinal) ? SlotPlace.FormJson : SlotPlace.Json, f.Key, f.Value)));
        slots.AddRange(row.FileNames.Select(p => new Slot(SlotPlace.FileName, p, FieldClass.FileName)));
        slots.Add(new Slot(SlotPlace.Header, ApiKeyHeader, row.Policy is null ? FieldClass.Ignored : FieldClass.Name));
        return slots;
    }

    /// <summary>
    /// True when the endpoint must refuse <paramref name="value"/> here (4xx, nothing changed). Free text takes the
    /// values that are only dangerous elsewhere; ignored fields and file names are judged apart.
    /// </summary>
    public bool MustRefuse(HostileString value) => Class switch
    {
        FieldClass.Name => true,
        FieldClass.Text => value.Kind is HostileKind.Nul or HostileKind.Escape or HostileKind.Overlong or HostileKind.Encoding,
        FieldClass.EventText => value.Kind is HostileKind.Nul or HostileKind.Overlong or HostileKind.Encoding,
        _ => false,
    };

    /// <summary>The request with <paramref name="value"/> in this slot (none: the base request), with API key <paramref name="key"/> (null: none).</summary>
    public static RawHttp.Request Write(MappedEndpoint mapped, RequestSpec spec, string? key, Slot? slot = null, HostileString? value = null)
    {
        string path = slot?.Place == SlotPlace.Route ? mapped.Path(spec.Route, value!.InUrl, slot.Path) : mapped.Path(spec.Route);
        var query = spec.Query.Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}").ToList();
        if (slot?.Place == SlotPlace.Query)
            query.Add($"{Uri.EscapeDataString(slot.Path)}={value!.InUrl}");
        string target = query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";

        var headers = new List<(string, byte[])>();
        if (slot?.Place == SlotPlace.Header)
            headers.Add((ApiKeyHeader, value!.InHeader));
        else if (key is not null)
            headers.Add((ApiKeyHeader, Encoding.ASCII.GetBytes(key)));
        byte[]? body = null;
        if (spec.Json is { } json)
        {
            body = slot?.Place == SlotPlace.Json ? Splice(BodyPaths.Place(json, slot.Path), value!.InJson) : Encoding.UTF8.GetBytes(json.ToJsonString());
            headers.Add(("Content-Type", Encoding.ASCII.GetBytes(spec.JsonContentType)));
        }
        else if (spec.Form is { } form)
        {
            body = Multipart(form, FormBoundary, slot, value);
            headers.Add(("Content-Type", Encoding.ASCII.GetBytes($"multipart/form-data; boundary={FormBoundary}")));
        }

        return new RawHttp.Request(mapped.Method == "ANY" ? "GET" : mapped.Method, Encoding.ASCII.GetBytes(target), headers, body);
    }

    private static byte[] Multipart(IReadOnlyList<FormPart> parts, string boundary, Slot? slot, HostileString? value)
    {
        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var part in parts)
        {
            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{part.Name}\"");
            if (part.FileName is not null)
            {
                Write("; filename=\"");
                body.Write(slot?.Place == SlotPlace.FileName && slot.Path == part.Name ? value!.InHeader : Encoding.UTF8.GetBytes(part.FileName));
                Write("\"");
            }

            Write($"\r\nContent-Type: {part.ContentType}\r\n\r\n");
            string prefix = part.Name + ":";
            body.Write(slot?.Place == SlotPlace.FormJson && slot.Path.StartsWith(prefix, StringComparison.Ordinal)
                ? Splice(BodyPaths.Place(JsonNode.Parse(part.Content)!, slot.Path[prefix.Length..]), value!.InJson)
                : part.Content);
            Write("\r\n");
        }

        Write($"--{boundary}--\r\n");
        return body.ToArray();
    }

    // The body's JSON with the placeholder string token (a value or a property name) replaced by the hostile token's bytes.
    private static byte[] Splice(JsonNode body, byte[] token)
    {
        byte[] json = Encoding.UTF8.GetBytes(body.ToJsonString());
        byte[] placeholder = Encoding.UTF8.GetBytes($"\"{BodyPaths.Placeholder}\"");
        int at = json.AsSpan().IndexOf(placeholder);
        if (at < 0)
            throw new InvalidOperationException($"No placeholder in {body.ToJsonString()}");
        return [.. json.AsSpan(0, at), .. token, .. json.AsSpan(at + placeholder.Length)];
    }
}

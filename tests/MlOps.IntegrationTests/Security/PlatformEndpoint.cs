using System.Net;
using System.Text.Json.Nodes;

namespace MlOps.IntegrationTests.Security;

/// <summary>How a string field must treat hostile values.</summary>
public enum FieldClass
{
    /// <summary>A name, id, version, state or time: every hostile value is refused (4xx) and nothing changes.</summary>
    Name,

    /// <summary>
    /// Free text (a note, a comment, a description, a label value): SQL, paths, line breaks and bidi marks are text
    /// and stored as sent; NUL and escapes, overlong values and broken encodings are refused.
    /// </summary>
    Text,

    /// <summary>
    /// A string of an event (prediction id, version label, category, tag) that the event contract leaves free: any text
    /// but NUL, overlong values and broken encodings.
    /// </summary>
    EventText,

    /// <summary>A file name: refused, or stored reduced to a safe name that later headers can carry.</summary>
    FileName,

    /// <summary>A value the endpoint does not act on (an Alertmanager status other than firing, a query parameter a page ignores): never 5xx, nothing changes.</summary>
    Ignored,
}

/// <summary>One form part: content, and a file name for file parts.</summary>
public sealed record FormPart(string Name, byte[] Content, string? FileName = null, string ContentType = "application/octet-stream");

/// <summary>A request before it is written: route values (the path comes from the mapped route pattern), query and body.</summary>
public sealed record RequestSpec
{
    public IReadOnlyDictionary<string, string> Route { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<(string Name, string Value)> Query { get; init; } = [];

    public JsonNode? Json { get; init; }

    public string JsonContentType { get; init; } = "application/json";

    public IReadOnlyList<FormPart>? Form { get; init; }
}

/// <summary>
/// One row of the endpoint table: the endpoint (named as <see cref="MappedEndpoint.Name"/>), the policy it must enforce,
/// a base request that succeeds against a <see cref="Seed"/> (as <see cref="Caller"/>), and what its fields are. The
/// hostile tests change one field of the base request at a time, so a refusal is the hostile value's doing.
/// </summary>
public sealed record PlatformEndpoint(string Name, string? Policy, HttpStatusCode Success, Func<Seed, RequestSpec> Base)
{
    /// <summary>The role whose key the base request is sent with.</summary>
    public string Caller { get; init; } = "admin";

    /// <summary>The base request changes the store (then the role matrix sends <see cref="Probe"/>).</summary>
    public bool Writes { get; init; }

    /// <summary>What callers send in the role matrix: a request of a writing endpoint that fails without changing anything.</summary>
    public Func<Seed, RequestSpec>? Probe { get; init; }

    /// <summary>The status an allowed caller gets for <see cref="Probe"/>.</summary>
    public HttpStatusCode? ProbeStatus { get; init; }

    /// <summary>
    /// String fields of a body the handler reads by hand, by path (<c>a.b[0].c</c>; <c>{key}</c> a dictionary's first
    /// key, <c>*</c> its first value; <c>part:path</c> inside a form part), with their class. Typed JSON bodies get
    /// theirs from the body type.
    /// </summary>
    public IReadOnlyDictionary<string, FieldClass> Fields { get; init; } = new Dictionary<string, FieldClass>();

    /// <summary>Paths of a typed body (or of <see cref="FormJsonTypes"/>) that are free text; the others are names.</summary>
    public IReadOnlySet<string> FreeText { get; init; } = new HashSet<string>();

    /// <summary>Form parts that carry JSON of a contract type: their string fields are fields of the request.</summary>
    public IReadOnlyDictionary<string, Type> FormJsonTypes { get; init; } = new Dictionary<string, Type>();

    /// <summary>Form parts whose file name is a field (class <see cref="FieldClass.FileName"/>).</summary>
    public IReadOnlyList<string> FileNames { get; init; } = [];

    /// <summary>The base request succeeds again when sent again on the same seed (else every writing test seeds a namespace for it).</summary>
    public bool Repeats { get; init; }

    /// <summary>Free-text fields that are stored but that no answer shows as sent (they only key or hash something).</summary>
    public IReadOnlySet<string> Unechoed { get; init; } = new HashSet<string>();

    /// <summary>Where to read what the base request stored when its answer does not show it.</summary>
    public Func<Seed, string>? Readback { get; init; }

    /// <summary>Answers 200 with one verdict per record (ingest): a refused record is <c>rejected</c> in the answer.</summary>
    public bool PerRecord { get; init; }

    public RequestSpec ProbeOf(Seed seed) => (Probe ?? Base)(seed);

    public HttpStatusCode ProbeSuccess => ProbeStatus ?? Success;

    public override string ToString() => Name;
}

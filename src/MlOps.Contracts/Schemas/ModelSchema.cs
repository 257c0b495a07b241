using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlOps.Contracts.Serialization;

namespace MlOps.Contracts.Schemas;

/// <summary>
/// A model's registered input/output contract. Events are checked against it on ingest, so a producer bug
/// (renamed feature, string where a number belongs) lands in the DLQ with a reason instead of skewing drift.
/// </summary>
/// <remarks>
/// A class rather than a record: it caches a by-name feature index, which must not take part in equality.
/// Instances built in code are not validated; call <see cref="Validate"/> (or go through <see cref="Parse"/>).
/// </remarks>
public sealed class ModelSchema
{
    private Index? _index;

    /// <summary>Registered model name, as events carry it in <c>model</c>.</summary>
    public required string Model { get; init; }

    /// <summary>What the model predicts; fixes the JSON type of <c>prediction</c>/<c>actual</c>.</summary>
    public required ModelTask Task { get; init; }

    /// <summary>Label of the positive class; required for <see cref="ModelTask.Binary"/>, where <c>score</c> is its probability.</summary>
    public string? PositiveClass { get; init; }

    /// <summary>Allowed class labels, if declared; labels outside them are rejected. <see langword="null"/> accepts any label.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Declared inputs; events may carry no others.</summary>
    public required IReadOnlyList<FeatureSchema> Features { get; init; }

    /// <summary>Parses and validates a schema document.</summary>
    /// <exception cref="FormatException">The JSON is malformed or the schema is invalid; the message lists every problem.</exception>
    public static ModelSchema Parse(string json)
    {
        if (!TryParse(json, out var schema, out var errors))
        {
            throw new FormatException("Invalid model schema: " + string.Join("; ", errors));
        }

        return schema;
    }

    /// <summary>Parses and validates a schema document without throwing.</summary>
    /// <param name="json">The schema JSON.</param>
    /// <param name="schema">The schema when valid.</param>
    /// <param name="errors">Every problem found (as <c>path: message</c>); empty when valid.</param>
    public static bool TryParse(string json, [NotNullWhen(true)] out ModelSchema? schema, out IReadOnlyList<string> errors)
    {
        schema = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            errors = ["$: schema JSON is empty"];
            return false;
        }

        ModelSchema? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.ModelSchema);
        }
        catch (JsonException ex)
        {
            errors = [ex.Message];
            return false;
        }

        if (parsed is null)
        {
            errors = ["$: schema must be a JSON object"];
            return false;
        }

        errors = parsed.Validate();
        if (errors.Count > 0)
        {
            return false;
        }

        schema = parsed;
        return true;
    }

    /// <summary>Checks the rules a parsed or hand-built schema must satisfy.</summary>
    /// <returns>Every problem found (as <c>path: message</c>); empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Model))
        {
            errors.Add("model: must be a non-empty string");
        }

        if (!Enum.IsDefined(Task))
        {
            errors.Add("task: must be binary, multiclass or regression");
        }

        ValidateFeatures(errors);
        ValidateClasses(errors);
        return errors;
    }

    /// <summary>Serializes with the contract's JSON settings (camelCase, enums as strings, nulls omitted).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ContractsJsonContext.Default.ModelSchema);

    /// <summary>Looks a feature up by its exact (case-sensitive) name.</summary>
    public bool TryGetFeature(string name, [NotNullWhen(true)] out FeatureSchema? feature) =>
        GetIndex().Features.TryGetValue(name, out feature);

    /// <summary>
    /// The declared feature whose name is the current property name of <paramref name="reader"/> (compared unescaped,
    /// case-sensitive, without allocating it), trying the one after the last match first: records usually list their
    /// features in the schema's order. <paramref name="next"/> carries that position from one property to the next.
    /// </summary>
    internal bool TryMatchFeature(ref Utf8JsonReader reader, ref int next, [NotNullWhen(true)] out FeatureSchema? feature, out int position)
    {
        var ordered = GetIndex().Ordered;
        for (int k = 0; k < ordered.Length; k++)
        {
            int i = (next + k) % ordered.Length;
            if (reader.ValueTextEquals(ordered[i].Utf8Name))
            {
                next = (i + 1) % ordered.Length;
                feature = ordered[i].Feature;
                position = i;
                return true;
            }
        }

        feature = null;
        position = -1;
        return false;
    }

    /// <summary>The declared features' order (first of duplicates only): the positions of a validated event's <see cref="Events.FeatureVector"/>.</summary>
    [JsonIgnore]
    public Events.FeatureLayout FeatureLayout => GetIndex().Layout;

    /// <summary>
    /// Whether <paramref name="label"/> is an allowed class: always <see langword="true"/> when <see cref="Classes"/> is not declared.
    /// </summary>
    public bool IsAllowedClass(string label) => GetIndex().Classes is not { } classes || classes.Contains(label);

    // Built on first use; a race builds two equal indexes, which is harmless.
    private Index GetIndex() => _index ??= new Index(this);

    private void ValidateFeatures(List<string> errors)
    {
        if (Features is null)
        {
            errors.Add("features: required");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Features.Count; i++)
        {
            var feature = Features[i];
            if (feature is null)
            {
                errors.Add($"features[{i}]: must be an object");
                continue;
            }

            if (string.IsNullOrWhiteSpace(feature.Name))
            {
                errors.Add($"features[{i}].name: must be a non-empty string");
            }
            else if (!seen.Add(feature.Name))
            {
                errors.Add($"features[{i}].name: duplicate feature '{feature.Name}'");
            }

            if (!Enum.IsDefined(feature.Type))
            {
                errors.Add($"features[{i}].type: must be numeric, categorical or boolean");
            }
        }
    }

    private void ValidateClasses(List<string> errors)
    {
        if (Classes is not null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < Classes.Count; i++)
            {
                if (string.IsNullOrEmpty(Classes[i]))
                {
                    errors.Add($"classes[{i}]: must be a non-empty string");
                }
                else if (!seen.Add(Classes[i]))
                {
                    errors.Add($"classes[{i}]: duplicate class '{Classes[i]}'");
                }
            }
        }

        switch (Task)
        {
            case ModelTask.Binary:
                if (string.IsNullOrEmpty(PositiveClass))
                {
                    errors.Add("positiveClass: required for a binary model");
                }
                else if (Classes is not null && !Classes.Contains(PositiveClass))
                {
                    errors.Add($"positiveClass: '{PositiveClass}' is not one of classes");
                }

                if (Classes is not null && Classes.Count != 2)
                {
                    errors.Add("classes: a binary model has exactly 2 classes");
                }

                break;
            case ModelTask.Multiclass:
                if (PositiveClass is not null)
                {
                    errors.Add("positiveClass: only a binary model has a positive class");
                }

                if (Classes is not null && Classes.Count < 2)
                {
                    errors.Add("classes: a multiclass model has at least 2 classes");
                }

                break;
            case ModelTask.Regression:
                if (PositiveClass is not null)
                {
                    errors.Add("positiveClass: a regression model has no classes");
                }

                if (Classes is not null)
                {
                    errors.Add("classes: a regression model has no classes");
                }

                break;
        }
    }

    private sealed class Index
    {
        public Index(ModelSchema schema)
        {
            // Tolerates an unvalidated schema (nulls, duplicates: first wins) because the validator must never throw.
            var features = new Dictionary<string, FeatureSchema>(StringComparer.Ordinal);
            foreach (var feature in schema.Features ?? [])
            {
                if (feature?.Name is { } name)
                {
                    features.TryAdd(name, feature);
                }
            }

            Features = features.ToFrozenDictionary(StringComparer.Ordinal);
            Ordered = [.. (schema.Features ?? []).Where(f => f?.Name is { } name && ReferenceEquals(features[name], f)).Select(f => (System.Text.Encoding.UTF8.GetBytes(f.Name!), f))];
            Layout = new Events.FeatureLayout([.. Ordered.Select(o => o.Feature.Name!)]);
            if (schema.Classes is not null)
            {
                Classes = schema.Classes.Where(c => c is not null).ToFrozenSet(StringComparer.Ordinal);
            }
        }

        public FrozenDictionary<string, FeatureSchema> Features { get; }

        // The features in the schema's order, with their names in UTF-8 (first of duplicates only).
        public (byte[] Utf8Name, FeatureSchema Feature)[] Ordered { get; }

        // The same order, for the features of validated events.
        public Events.FeatureLayout Layout { get; }

        public FrozenSet<string>? Classes { get; }
    }
}

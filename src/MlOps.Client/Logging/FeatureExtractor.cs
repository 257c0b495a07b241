using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.ML.Data;
using MlOps.Contracts;

namespace MlOps.Client.Logging;

/// <summary>
/// Turns what a caller logs as features into the event's <c>features</c> object: a dictionary (of <see cref="Scalar"/>,
/// or of numbers, strings, booleans and nulls), or a typed object whose public readable properties (and public fields) are the features.
/// </summary>
/// <remarks>
/// A property's feature name is its <see cref="JsonPropertyNameAttribute"/>, else its ML.NET <see cref="ColumnNameAttribute"/>,
/// else the property name as written (schemas are case-sensitive). <see cref="JsonIgnoreAttribute"/> and ML.NET's
/// <see cref="NoColumnAttribute"/> leave a property out. Numbers (any numeric type, NaN = missing), strings,
/// <see cref="ReadOnlyMemory{T}"/> of char, booleans, enums (their name), <see cref="Scalar"/> and nullables of these are
/// supported; a property of another type is an <see cref="ArgumentException"/> on first use of the type. Readers are
/// compiled once per type.
/// </remarks>
internal static class FeatureExtractor
{
    private static readonly ConcurrentDictionary<Type, Func<object, Dictionary<string, Scalar>>> Readers = new();

    public static IReadOnlyDictionary<string, Scalar> Extract(object features)
    {
        ArgumentNullException.ThrowIfNull(features);
        switch (features)
        {
            case IReadOnlyDictionary<string, Scalar> scalars:
                return scalars;
            case IEnumerable<KeyValuePair<string, Scalar>> pairs:
                return pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            case IEnumerable<KeyValuePair<string, object?>> objects:
                return objects.ToDictionary(p => p.Key, p => ToScalar(p.Value, p.Key), StringComparer.Ordinal);
            case IDictionary dictionary:
                var result = new Dictionary<string, Scalar>(dictionary.Count, StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    string key = entry.Key as string ?? throw new ArgumentException("feature dictionaries need string keys", nameof(features));
                    result[key] = ToScalar(entry.Value, key);
                }

                return result;
            default:
                return Readers.GetOrAdd(features.GetType(), Compile)(features);
        }
    }

    /// <summary>The feature name of a property or field, as <see cref="Extract"/> uses it.</summary>
    public static string FeatureName(MemberInfo member) =>
        member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? ColumnName(member)
        ?? member.Name;

    // ML.NET keeps ColumnNameAttribute's name internal; its constructor argument is the name.
    private static string? ColumnName(MemberInfo member) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(ColumnNameAttribute))?.ConstructorArguments is [{ Value: string name }] ? name : null;

    /// <summary>A boxed value as a scalar; unsupported types are an <see cref="ArgumentException"/> naming the feature.</summary>
    public static Scalar ToScalar(object? value, string feature) => value switch
    {
        null => Scalar.Missing,
        Scalar s => s,
        string s => Scalar.Of(s),
        bool b => Scalar.Of(b),
        ReadOnlyMemory<char> m => Scalar.Of(m.ToString()),
        char c => Scalar.Of(c.ToString()),
        Enum e => Scalar.Of(e.ToString()),
        double d => Scalar.Of(d),
        float f => Scalar.Of(f),
        decimal m => Scalar.Of((double)m),
        IConvertible c when IsNumeric(c.GetTypeCode()) => Scalar.Of(c.ToDouble(CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"feature '{feature}' is a {value.GetType().Name}; features are numbers, strings, booleans or null"),
    };

    private static bool IsNumeric(TypeCode code) => code is >= TypeCode.SByte and <= TypeCode.Decimal;

    private static Func<object, Dictionary<string, Scalar>> Compile(Type type)
    {
        // ML.NET input classes use properties or public fields; both are features.
        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod!.IsPublic)
            .Cast<MemberInfo>()
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<JsonIgnoreAttribute>() is null && m.GetCustomAttribute<NoColumnAttribute>() is null)
            .ToList();
        var readers = new List<(string Name, Func<object, Scalar> Read)>(members.Count);
        foreach (var member in members)
            readers.Add((FeatureName(member), CompileMember(type, member)));
        return instance =>
        {
            var features = new Dictionary<string, Scalar>(readers.Count, StringComparer.Ordinal);
            foreach (var (name, read) in readers)
                features[name] = read(instance);
            return features;
        };
    }

    private static Func<object, Scalar> CompileMember(Type type, MemberInfo member)
    {
        string name = FeatureName(member);
        var memberType = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
        var valueType = Nullable.GetUnderlyingType(memberType) ?? memberType;
        bool supported = valueType == typeof(Scalar) || valueType == typeof(string) || valueType == typeof(bool) || valueType == typeof(char)
            || valueType == typeof(ReadOnlyMemory<char>) || valueType.IsEnum || valueType == typeof(decimal) || IsNumeric(Type.GetTypeCode(valueType));
        if (!supported)
        {
            throw new ArgumentException(
                $"{type.Name}.{member.Name} (feature '{name}') is a {memberType.Name}; features are numbers, strings, booleans or null " +
                "(mark other members [JsonIgnore] or [NoColumn])");
        }

        var instance = Expression.Parameter(typeof(object), "instance");
        var read = Expression.MakeMemberAccess(Expression.Convert(instance, type), member);
        // double, float, int, long, bool and string — the common feature types — are read without boxing.
        Expression body = memberType == typeof(double) || memberType == typeof(bool) || memberType == typeof(string)
                ? Expression.Call(typeof(Scalar), nameof(Scalar.Of), null, read)
            : memberType == typeof(float) || memberType == typeof(int) || memberType == typeof(long)
                ? Expression.Call(typeof(Scalar), nameof(Scalar.Of), null, Expression.Convert(read, typeof(double)))
            : Expression.Call(typeof(FeatureExtractor), nameof(ToScalar), null, Expression.Convert(read, typeof(object)), Expression.Constant(name));
        return Expression.Lambda<Func<object, Scalar>>(body, instance).Compile();
    }
}

using System.Text.Json.Serialization;
using MlOps.Contracts.Serialization;

namespace MlOps.Contracts.Schemas;

/// <summary>How a feature's values are profiled and which drift test applies; also fixes its JSON type.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<FeatureType>))]
public enum FeatureType
{
    /// <summary>A JSON number; profiled with histograms and quantiles.</summary>
    Numeric = 0,

    /// <summary>A JSON string; profiled with category counts.</summary>
    Categorical,

    /// <summary>JSON <c>true</c>/<c>false</c>; profiled as a two-category column.</summary>
    Boolean,
}

namespace MlOps.Contracts;

/// <summary>What a <see cref="Scalar"/> holds; mirrors the JSON value kinds an event may carry.</summary>
public enum ScalarKind
{
    /// <summary>JSON <c>null</c> (or NaN/infinity, which JSON cannot carry).</summary>
    Missing = 0,

    /// <summary>A finite JSON number.</summary>
    Number,

    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,
}

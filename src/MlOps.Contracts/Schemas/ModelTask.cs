using System.Text.Json.Serialization;
using MlOps.Contracts.Serialization;

namespace MlOps.Contracts.Schemas;

/// <summary>What the model predicts; decides the prediction's JSON type and which performance metrics apply.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ModelTask>))]
public enum ModelTask
{
    /// <summary>Two classes; labels are strings, <c>score</c> is the positive-class probability.</summary>
    Binary = 0,

    /// <summary>More than two classes; labels are strings.</summary>
    Multiclass,

    /// <summary>A number; MAE/RMSE/R² apply.</summary>
    Regression,
}

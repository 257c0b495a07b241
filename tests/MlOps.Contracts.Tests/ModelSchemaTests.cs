using System.Text.Json.Nodes;
using MlOps.Contracts.Schemas;

namespace MlOps.Contracts.Tests;

public class ModelSchemaTests
{
    private const string BriefExample = """
        {"model":"churn","task":"binary","positiveClass":"1","classes":["0","1"],"features":[{"name":"age","type":"numeric","required":true},{"name":"plan","type":"categorical","required":false}]}
        """;

    [Fact]
    public void A_schema_document_parses_into_its_parts()
    {
        var schema = ModelSchema.Parse(BriefExample);

        Assert.Equal("churn", schema.Model);
        Assert.Equal(ModelTask.Binary, schema.Task);
        Assert.Equal("1", schema.PositiveClass);
        Assert.Equal(["0", "1"], schema.Classes!);
        Assert.Equal(new FeatureSchema { Name = "age", Type = FeatureType.Numeric, Required = true }, schema.Features[0]);
        Assert.Equal(new FeatureSchema { Name = "plan", Type = FeatureType.Categorical, Required = false }, schema.Features[1]);
        Assert.True(schema.TryGetFeature("age", out var age));
        Assert.Equal(FeatureType.Numeric, age.Type);
        Assert.False(schema.TryGetFeature("Age", out _));
    }

    [Fact]
    public void ToJson_round_trips_with_lowercase_enums()
    {
        var json = ModelSchema.Parse(BriefExample).ToJson();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(BriefExample), JsonNode.Parse(json)), json);
        Assert.Contains("\"task\":\"binary\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"categorical\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_optional_members_are_omitted_and_required_defaults_to_false()
    {
        var schema = ModelSchema.Parse("""{"model":"price","task":"regression","features":[{"name":"sqft","type":"numeric"}]}""");

        Assert.False(schema.Features[0].Required);
        Assert.Null(schema.Classes);
        Assert.Equal("""{"model":"price","task":"regression","features":[{"name":"sqft","type":"numeric","required":false}]}""", schema.ToJson());
    }

    [Theory]
    [InlineData("""{"model":"m","task":"binary","features":[]}""", "positiveClass: required")]
    [InlineData("""{"model":"m","task":"binary","positiveClass":"yes","classes":["0","1"],"features":[]}""", "positiveClass: 'yes' is not one of classes")]
    [InlineData("""{"model":"m","task":"binary","positiveClass":"1","classes":["0","1","2"],"features":[]}""", "classes: a binary model has exactly 2 classes")]
    [InlineData("""{"model":"m","task":"multiclass","classes":["a","a","b"],"features":[]}""", "classes[1]: duplicate class 'a'")]
    [InlineData("""{"model":"m","task":"multiclass","positiveClass":"a","features":[]}""", "positiveClass: only a binary model")]
    [InlineData("""{"model":"m","task":"regression","classes":["a","b"],"features":[]}""", "classes: a regression model has no classes")]
    [InlineData("""{"model":"","task":"regression","features":[]}""", "model: must be a non-empty string")]
    [InlineData("""{"model":"m","task":"regression","features":[{"name":"","type":"numeric"}]}""", "features[0].name: must be a non-empty string")]
    [InlineData("""{"model":"m","task":"regression","features":[{"name":"a","type":"numeric"},{"name":"a","type":"boolean"}]}""", "features[1].name: duplicate feature 'a'")]
    public void Invalid_schemas_are_rejected_with_a_message_naming_the_path(string json, string expected)
    {
        Assert.False(ModelSchema.TryParse(json, out var schema, out var errors));

        Assert.Null(schema);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"model":"m","task":"binary","positiveClass":"1","features":[{"name":"a","type":"text"}]}""", "features[0].type")]
    [InlineData("""{"model":"m","task":"binary","positiveClass":"1","features":[{"name":"a","type":0}]}""", "features[0].type")]
    [InlineData("""{"model":"m","task":"ranking","features":[]}""", "task")]
    [InlineData("""{"model":"m","task":"regression"}""", "features")]
    [InlineData("""{"model":"m","task":"regression","features":null}""", "features")]
    [InlineData("""{"model":"m","task":"regression","features":[]""", "LineNumber")]
    [InlineData("""{"model":"m","model":"n","task":"regression","features":[]}""", "model")]
    public void Malformed_schema_json_is_rejected_without_throwing(string json, string mentioned)
    {
        Assert.False(ModelSchema.TryParse(json, out _, out var errors));

        Assert.Contains(errors, e => e.Contains(mentioned, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    public void Empty_or_non_object_documents_are_rejected(string json) =>
        Assert.False(ModelSchema.TryParse(json, out _, out var errors) || errors.Count == 0);

    [Fact]
    public void All_problems_of_a_schema_are_reported_at_once()
    {
        var json = """{"model":" ","task":"binary","features":[{"name":"a","type":"numeric"},{"name":"a","type":"numeric"},{"name":"","type":"boolean"}]}""";

        Assert.False(ModelSchema.TryParse(json, out _, out var errors));

        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Parse_throws_a_format_exception_listing_the_problems()
    {
        var ex = Assert.Throws<FormatException>(() => ModelSchema.Parse("""{"model":"m","task":"binary","features":[]}"""));

        Assert.Contains("positiveClass", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hand_built_schema_can_be_validated_and_its_lookups_tolerate_duplicates()
    {
        var schema = new ModelSchema
        {
            Model = "m",
            Task = ModelTask.Regression,
            Features = [new() { Name = "a", Type = FeatureType.Numeric }, new() { Name = "a", Type = FeatureType.Boolean }],
        };

        Assert.Single(schema.Validate());
        Assert.True(schema.TryGetFeature("a", out var first));
        Assert.Equal(FeatureType.Numeric, first.Type);
        Assert.True(schema.IsAllowedClass("anything"));
    }
}

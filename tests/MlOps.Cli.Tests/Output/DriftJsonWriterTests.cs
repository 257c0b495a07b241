using System.Text.Json;
using MlOps.Cli.Output;

namespace MlOps.Cli.Tests.Output;

public class DriftJsonWriterTests
{
    private static readonly FeatureDriftJson[] Features =
    [
        new("age", "numeric", "ks", 0.21350000000000002, 1.1368603602613008E-34, 0.05, true),
        new("income", "numeric", "wasserstein", 0.0665, null, 0.1, false),
        new("naïve \"quoted\" <name>\n", "categorical", "psi", double.NaN, double.PositiveInfinity, 0.1, false),
        new("-inf", "numeric", "ztest", double.NegativeInfinity, 5e-324, double.Epsilon, true),
        new("tiny", "numeric", "ks", -0.0, 0.0, 1e300, false),
    ];

    [Fact]
    public void A_single_method_document_is_byte_for_byte_what_the_serializer_writes()
    {
        foreach (var features in new[] { Features, [] })
        {
            var document = new DriftReportJson(200_000, 1, features, 0.4, false);
            Assert.Equal(JsonSerializer.Serialize(document, DriftJsonContext.Default.DriftReportJson), DriftJsonWriter.Write(document));
        }
    }

    [Fact]
    public void A_several_methods_document_is_byte_for_byte_what_the_serializer_writes()
    {
        var ks = new DriftReportJson(3, 4, Features[..2], 0.5, true);
        var psi = new DriftReportJson(3, 4, Features[2..], 1.0 / 3, false);
        var document = new MultiMethodDriftJson(3, 4, [MethodDriftJson.From("ks", ks), MethodDriftJson.From("auto", psi)], true);
        Assert.Equal(JsonSerializer.Serialize(document, DriftJsonContext.Default.MultiMethodDriftJson), DriftJsonWriter.Write(document));
    }
}

namespace MlOps.Statistics;

internal static class Placeholder;

namespace MlOps.Contracts;

internal static class Placeholder;

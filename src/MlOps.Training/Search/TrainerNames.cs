using MlOps.Contracts.Schemas;

namespace MlOps.Training.Search;

/// <summary>The trainer names of <see cref="Contracts.Retraining.RetrainingPolicy.Trainers"/> and which tasks each serves.</summary>
internal static class TrainerNames
{
    public const string FastTree = "fastTree";
    public const string LightGbm = "lightGbm";
    public const string Sdca = "sdca";

    /// <summary>The trainers fit for a task, in search order.</summary>
    public static IReadOnlyList<string> For(ModelTask task) => task == ModelTask.Multiclass
        ? [LightGbm, Sdca]
        : [FastTree, LightGbm, Sdca];

    /// <summary>
    /// The trainers to search: those of <paramref name="requested"/> (names matched ignoring case) fit for the task, or
    /// all fit for it when none is requested.
    /// </summary>
    /// <exception cref="TrainingException">A name is unknown, or no requested trainer serves the task.</exception>
    public static IReadOnlyList<string> Resolve(ModelTask task, IReadOnlyList<string>? requested)
    {
        var fit = For(task);
        if (requested is null || requested.Count == 0)
            return fit;
        var known = new[] { FastTree, LightGbm, Sdca };
        var chosen = new List<string>();
        foreach (string name in requested)
        {
            string canonical = known.FirstOrDefault(k => string.Equals(k, name?.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new TrainingException($"Unknown trainer '{name}'; known trainers are {string.Join(", ", known)}.");
            if (fit.Contains(canonical) && !chosen.Contains(canonical))
                chosen.Add(canonical);
        }

        if (chosen.Count == 0)
        {
            throw new TrainingException(
                $"None of the requested trainers ({string.Join(", ", requested)}) can train a {task.ToString().ToLowerInvariant()} model; use {string.Join(" or ", fit)}.");
        }

        // Search order stays the task's order, so a policy listing the same trainers differently searches the same way.
        return [.. fit.Where(chosen.Contains)];
    }
}

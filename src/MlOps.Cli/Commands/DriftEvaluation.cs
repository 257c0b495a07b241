using System.Buffers;
using System.Runtime.ExceptionServices;
using MlOps.Cli.Csv;
using MlOps.Cli.Diagnostics;
using MlOps.Statistics.Drift;
using MlOps.Statistics.Sorting;

namespace MlOps.Cli.Commands;

/// <summary>
/// The drift tests of every column of two samples, by one or more methods, on every core. The work is a queue of jobs:
/// sorting one side of a column (a job each, so that two large columns spread over two cores), then the statistic of
/// every method on the same sorted arrays; and a KS p-value, which at large sizes can take longer than everything else
/// in a column (SciPy's <c>kstwo</c> series), as a job of its own that goes first as soon as its statistic is known, so
/// that it runs next to the sorting of later columns rather than after it.
/// </summary>
internal sealed class DriftEvaluation
{
    private readonly object _lock = new();
    private readonly Queue<Action> _first = new();
    private readonly Queue<Action> _next = new();
    private readonly IReadOnlyList<ColumnSample> _reference;
    private readonly IReadOnlyList<ColumnSample> _current;
    private readonly IReadOnlyList<DriftMethod?> _methods;
    private readonly double? _threshold;
    private readonly FeatureDrift[][] _results; // [method][column]
    private int _pending;
    private ExceptionDispatchInfo? _error;

    private DriftEvaluation(IReadOnlyList<ColumnSample> reference, IReadOnlyList<ColumnSample> current, IReadOnlyList<DriftMethod?> methods, double? threshold)
    {
        _reference = reference;
        _current = current;
        _methods = methods;
        _threshold = threshold;
        _results = new FeatureDrift[methods.Count][];
        for (int m = 0; m < methods.Count; m++)
            _results[m] = new FeatureDrift[reference.Count];
    }

    /// <summary>Evaluates every column (paired by position, both with values); results in column order.</summary>
    public static FeatureDrift[] Run(IReadOnlyList<ColumnSample> reference, IReadOnlyList<ColumnSample> current, DriftMethod? method, double? threshold) =>
        Run(reference, current, [method], threshold)[0];

    /// <summary>
    /// Evaluates every column by each method (null: Evidently's default for the column), sorting each column once for
    /// all of them; results per method, in column order, exactly as <see cref="Run(IReadOnlyList{ColumnSample}, IReadOnlyList{ColumnSample}, DriftMethod?, double?)"/>
    /// gives them one method at a time.
    /// </summary>
    public static FeatureDrift[][] Run(IReadOnlyList<ColumnSample> reference, IReadOnlyList<ColumnSample> current, IReadOnlyList<DriftMethod?> methods, double? threshold)
    {
        var evaluation = new DriftEvaluation(reference, current, methods, threshold);
        for (int i = 0; i < reference.Count; i++)
        {
            int column = i;
            if (reference[i].Type == ColumnType.Categorical)
            {
                evaluation.Enqueue(() => evaluation.Categorical(column), first: false);
                continue;
            }

            var sorted = new SortedPair(reference[i].Numbers, current[i].Numbers);
            evaluation.Enqueue(() => { if (sorted.SortReference()) evaluation.Numeric(column, sorted); }, first: false);
            evaluation.Enqueue(() => { if (sorted.SortCurrent()) evaluation.Numeric(column, sorted); }, first: false);
        }

        Parallel.For(0, Environment.ProcessorCount, _ => evaluation.Work());
        evaluation._error?.Throw();
        return evaluation._results;
    }

    private void Categorical(int column)
    {
        var (r, c) = (_reference[column], _current[column]);
        for (int m = 0; m < _methods.Count; m++)
            _results[m][column] = SampleDrift.Categorical(r.Name, r.Counts, c.Counts, _methods[m], _threshold);
    }

    /// <summary>
    /// A column with both sides sorted: the statistic of every method now, and for KS (once, however many of the methods
    /// resolve to it) the p-value as a job that goes first.
    /// </summary>
    private void Numeric(int column, SortedPair sorted)
    {
        string name = _reference[column].Name;
        try
        {
            ReadOnlySpan<double> r = sorted.Reference, c = sorted.Current;
            var resolved = new DriftMethod[_methods.Count];
            bool ks = false, wasserstein = false;
            for (int m = 0; m < _methods.Count; m++)
            {
                resolved[m] = SampleDrift.NumericMethod(r, c, _methods[m]);
                ks |= resolved[m] == DriftMethod.KolmogorovSmirnov;
                wasserstein |= resolved[m] == DriftMethod.Wasserstein;
            }

            // Both from one walk over the sorted pair: the same numbers as each alone.
            double statistic = double.NaN, distance = double.NaN;
            if (ks && wasserstein)
            {
                long walked = PhaseTrace.Start();
                (statistic, distance) = KolmogorovSmirnovTest.StatisticAndDistance(r, c);
                PhaseTrace.Add("ks statistic and wasserstein distance", walked);
            }

            List<int>? ksMethods = null;
            for (int m = 0; m < _methods.Count; m++)
            {
                var method = resolved[m];
                if (method == DriftMethod.KolmogorovSmirnov)
                {
                    (ksMethods ??= []).Add(m);
                    continue;
                }

                long t = PhaseTrace.Start();
                _results[m][column] = method == DriftMethod.Wasserstein && ks
                    ? new FeatureDrift(name, ColumnKind.Numeric, WassersteinDistance.Test(distance, r, _threshold))
                    : SampleDrift.Numeric(name, r, c, method, _threshold);
                PhaseTrace.Add(DriftMethods.Name(method), t);
            }

            if (ksMethods is null)
                return;
            if (!wasserstein)
            {
                long started = PhaseTrace.Start();
                statistic = KolmogorovSmirnovTest.Statistic(r, c);
                PhaseTrace.Add("ks statistic", started);
            }

            var (n1, n2) = (r.Length, c.Length);
            Enqueue(() =>
            {
                long started = PhaseTrace.Start();
                var result = new FeatureDrift(name, ColumnKind.Numeric, KolmogorovSmirnovTest.Test(n1, n2, statistic, _threshold));
                foreach (int m in ksMethods)
                    _results[m][column] = result;
                PhaseTrace.Add("ks p-value", started);
            }, first: true);
        }
        finally
        {
            sorted.Return();
        }
    }

    private void Enqueue(Action job, bool first)
    {
        lock (_lock)
        {
            (first ? _first : _next).Enqueue(job);
            _pending++;
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>One core's loop: take a job (p-values first) until none is left or one failed.</summary>
    private void Work()
    {
        while (true)
        {
            Action? job;
            lock (_lock)
            {
                // Queues can be empty while jobs run that will add more (a p-value): wait for those.
                while (!_first.TryDequeue(out job) && !_next.TryDequeue(out job))
                {
                    if (_pending == 0 || _error is not null)
                        return;
                    Monitor.Wait(_lock);
                }

                if (_error is not null)
                    return;
            }

            try
            {
                job();
            }
            catch (Exception e)
            {
                lock (_lock)
                    _error ??= ExceptionDispatchInfo.Capture(e);
            }

            lock (_lock)
            {
                if (--_pending == 0 || _error is not null)
                    Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Both sides of a numeric column, each sorted into a pooled array by its own job.</summary>
    private sealed class SortedPair(DoubleBuffer reference, DoubleBuffer current)
    {
        private double[]? _reference;
        private double[]? _current;
        private int _referenceCount;
        private int _currentCount;
        private int _sides = 2;

        public ReadOnlySpan<double> Reference => _reference.AsSpan(0, _referenceCount);

        public ReadOnlySpan<double> Current => _current.AsSpan(0, _currentCount);

        /// <summary>Sorts the reference side; true for the job that finishes the pair.</summary>
        public bool SortReference()
        {
            _reference = Sort(reference, out _referenceCount);
            return Interlocked.Decrement(ref _sides) == 0;
        }

        /// <summary>Sorts the current side; true for the job that finishes the pair.</summary>
        public bool SortCurrent()
        {
            _current = Sort(current, out _currentCount);
            return Interlocked.Decrement(ref _sides) == 0;
        }

        public void Return()
        {
            ArrayPool<double>.Shared.Return(_reference!);
            ArrayPool<double>.Shared.Return(_current!);
            _reference = _current = null;
        }

        private static double[] Sort(DoubleBuffer numbers, out int count)
        {
            long started = PhaseTrace.Start();
            count = checked((int)numbers.Count);
            double[] values = ArrayPool<double>.Shared.Rent(count);
            RadixSort.Sort(numbers.Segments, values.AsSpan(0, count));
            PhaseTrace.Add("sort one side", started);
            return values;
        }
    }
}

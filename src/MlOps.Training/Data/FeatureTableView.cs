using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlOps.Training.Data;

/// <summary>
/// An <see cref="IDataView"/> over rows of a <see cref="FeatureTable"/>: its schema is known only at run time (one
/// column per declared feature), which rules out ML.NET's class-based loaders; it reads the arrays in place.
/// </summary>
internal sealed class FeatureTableView : IDataView
{
    private readonly int[] _rows;
    private readonly Array[] _columns;

    public FeatureTableView(FeatureTable table, int[] rows, bool withLabel)
    {
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        foreach (var feature in table.Schema.Features)
            builder.AddColumn(feature.Name, FeatureTable.ColumnType(feature.Type));
        if (withLabel)
            builder.AddColumn(FeatureTable.LabelColumn, table.LabelType);
        Schema = builder.ToSchema();
        _columns = withLabel ? [.. table.Columns, table.Labels] : table.Columns;
    }

    /// <summary>The feature-only schema of <paramref name="table"/>: the input schema saved with a model.</summary>
    public static DataViewSchema InputSchema(FeatureTable table) => new FeatureTableView(table, [], withLabel: false).Schema;

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>The table row of each view row.</summary>
    public IReadOnlyList<int> Rows => _rows;

    public long? GetRowCount() => _rows.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [new Cursor(this, columnsNeeded)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly FeatureTableView _view;
        private readonly bool[] _active;
        private long _position = -1;

        public Cursor(FeatureTableView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            _view = view;
            _active = new bool[view.Schema.Count];
            foreach (var column in columnsNeeded)
                _active[column.Index] = true;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        private int Row => _view._rows[_position];

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._rows.Length)
            {
                _position = _view._rows.Length;
                return false;
            }

            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)Row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from the cursor.");
            Delegate getter = _view._columns[column.Index] switch
            {
                float[] values => (ValueGetter<float>)((ref float v) => v = values[Row]),
                bool[] values => (ValueGetter<bool>)((ref bool v) => v = values[Row]),
                ReadOnlyMemory<char>[] values => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = values[Row]),
                _ => throw new InvalidOperationException($"Column '{column.Name}' has an unsupported type."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }
    }
}

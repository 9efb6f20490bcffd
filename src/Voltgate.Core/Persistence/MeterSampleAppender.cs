using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Voltgate.Core.Data;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Persistence;

/// <summary>
/// Inserts meter samples with prepared INSERT statements on the batch's own connection and transaction.
/// </summary>
/// <remarks>
/// Meter samples are the one table written at station rate, and EF's change tracking (a tracked entity, a key
/// read back and a modification command per row) cost several times the insert itself. Samples are never read back
/// by the writer, so they skip it. Table, columns and value conversions still come from the EF model, so the rows are
/// exactly what EF would have written on either provider.
/// </remarks>
internal sealed class MeterSampleAppender : IDisposable
{
    // PostgreSQL: one round trip per 64 rows (12 x 64 parameters, far below its 65,535 limit). SQLite runs in-process,
    // so a statement per row costs no round trip, and it resolves parameter names by a linear search that would make a
    // many-row statement quadratic.
    private readonly int _rowsPerStatement;

    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Column[] _columns;
    private readonly string _insertPrefix;
    private DbCommand? _fullChunk;

    public MeterSampleAppender(VoltgateDbContext db)
    {
        _rowsPerStatement = db.Database.IsSqlite() ? 1 : 64;
        _connection = db.Database.GetDbConnection();
        _transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Meter samples are appended inside the batch's transaction.");
        var entity = db.Model.FindEntityType(typeof(MeterSample))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        _columns = [.. ColumnsOf(entity, table)];
        _insertPrefix = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", _columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ";
    }

    public void Append(IReadOnlyList<MeterSample> samples)
    {
        var offset = 0;
        for (; offset + _rowsPerStatement <= samples.Count; offset += _rowsPerStatement)
        {
            _fullChunk ??= Prepare(_rowsPerStatement);
            Execute(_fullChunk, samples, offset, _rowsPerStatement);
        }

        if (offset < samples.Count)
        {
            using var rest = Prepare(samples.Count - offset);
            Execute(rest, samples, offset, samples.Count - offset);
        }
    }

    public void Dispose() => _fullChunk?.Dispose();

    private DbCommand Prepare(int rows)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        var text = new StringBuilder(_insertPrefix);
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var col = 0; col < _columns.Length; col++)
            {
                var name = $"@p{row}_{col}";
                text.Append(col == 0 ? name : ", " + name);
                command.Parameters.Add(_columns[col].Mapping.CreateParameter(command, name, null, _columns[col].Nullable));
            }

            text.Append(')');
        }

        command.CommandText = text.ToString();
        return command;
    }

    private void Execute(DbCommand command, IReadOnlyList<MeterSample> samples, int offset, int rows)
    {
        var parameters = command.Parameters;
        var index = 0;
        for (var row = 0; row < rows; row++)
        {
            var sample = samples[offset + row];
            foreach (var column in _columns)
            {
                parameters[index++].Value = column.ToProvider(sample);
            }
        }

        command.ExecuteNonQuery();
    }

    private static IEnumerable<Column> ColumnsOf(IEntityType entity, StoreObjectIdentifier table)
    {
        foreach (var property in entity.GetProperties())
        {
            if (property.ValueGenerated == ValueGenerated.OnAdd)
            {
                continue; // the key is the database's
            }

            var getter = property.GetGetter();
            yield return new Column(property.GetColumnName(table)!, property.GetRelationalTypeMapping(), property.IsNullable, getter.GetClrValue);
        }
    }

    private sealed record Column(string Name, RelationalTypeMapping Mapping, bool Nullable, Func<MeterSample, object?> Read)
    {
        public object ToProvider(MeterSample sample)
        {
            var value = Read(sample);
            if (value is not null && Mapping.Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            return value ?? DBNull.Value;
        }
    }
}

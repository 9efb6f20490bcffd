using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Voltgate.Core.Data;

namespace Voltgate.Core.MessageHistory;

/// <summary>
/// Inserts history rows with prepared INSERT statements on the batch's connection and transaction, past EF's change
/// tracker (the rows are written at frame rate and never read back by the writer). Table, columns and value
/// conversions come from the EF model, so the rows are what EF would write on either provider.
/// </summary>
internal sealed class StationMessageAppender : IDisposable
{
    // PostgreSQL: one round trip per 64 rows. SQLite is in-process (no round trip) and resolves parameter names by a
    // linear search, so one row per statement is its fastest form (as for meter samples, docs/performance.md).
    private readonly int _rowsPerStatement;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Column[] _columns;
    private readonly string _insertPrefix;
    private DbCommand? _fullChunk;

    public StationMessageAppender(VoltgateDbContext db)
    {
        _rowsPerStatement = db.Database.IsSqlite() ? 1 : 64;
        _connection = db.Database.GetDbConnection();
        _transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("History rows are appended inside the batch's transaction.");
        var entity = db.Model.FindEntityType(typeof(StationMessage))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        _columns = [.. entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd)
            .Select(p => new Column(p.GetColumnName(table)!, p.GetRelationalTypeMapping(), p.IsNullable, p.GetGetter().GetClrValue))];
        _insertPrefix = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", _columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ";
    }

    public void Append(IReadOnlyList<StationMessage> rows)
    {
        var offset = 0;
        for (; offset + _rowsPerStatement <= rows.Count; offset += _rowsPerStatement)
        {
            _fullChunk ??= Prepare(_rowsPerStatement);
            Execute(_fullChunk, rows, offset, _rowsPerStatement);
        }

        if (offset < rows.Count)
        {
            using var rest = Prepare(rows.Count - offset);
            Execute(rest, rows, offset, rows.Count - offset);
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

    private void Execute(DbCommand command, IReadOnlyList<StationMessage> rows, int offset, int count)
    {
        var parameters = command.Parameters;
        var index = 0;
        for (var row = 0; row < count; row++)
        {
            var message = rows[offset + row];
            foreach (var column in _columns)
            {
                parameters[index++].Value = column.ToProvider(message);
            }
        }

        command.ExecuteNonQuery();
    }

    private sealed record Column(string Name, RelationalTypeMapping Mapping, bool Nullable, Func<StationMessage, object?> Read)
    {
        public object ToProvider(StationMessage message)
        {
            var value = Read(message);
            if (value is not null && Mapping.Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            return value ?? DBNull.Value;
        }
    }
}

using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Voltgate.Core.Data;

/// <summary>
/// Inserts rows of one entity with prepared INSERT statements on the batch's own connection and transaction.
/// </summary>
/// <remarks>
/// <para>For the tables written at station or frame rate and never read back by the writer (meter samples, 2.0.1
/// transaction events, message history), past EF's change tracking; table, columns and value conversions still come from the EF model, so the
/// rows are exactly what EF would have written on either provider.</para>
/// <para>With <c>rawSqlite</c> (meter samples, transaction events) the rows are bound straight on SQLitePCL's statement on SQLite,
/// converted by the same EF mappings and bound the way Microsoft.Data.Sqlite binds them (a Guid as upper-case text, a bool
/// as 0 or 1); a
/// column of any other kind keeps the ADO.NET path. Why, with figures: docs/performance.md, "What changed" 8 and
/// 22.</para>
/// </remarks>
internal sealed class ModelRowAppender<T> : IDisposable
    where T : class
{
    // PostgreSQL: one round trip per 64 rows (12 x 64 parameters for a meter sample, far below its 65,535 limit).
    // SQLite runs in-process, so a statement per row costs no round trip, and it resolves parameter names by a linear
    // search that would make a many-row statement quadratic.
    private readonly int _rowsPerStatement;

    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Column[] _columns;
    private readonly string _insertPrefix;
    private DbCommand? _fullChunk;
    private readonly SqliteRowInserter? _sqlite;

    /// <param name="db">The batch's context, inside its transaction.</param>
    /// <param name="rows">What the rows are, for the error when there is no transaction ("Meter samples").</param>
    /// <param name="rawSqlite">Bind straight on SQLitePCL's statement on SQLite where every column allows it.</param>
    public ModelRowAppender(VoltgateDbContext db, string rows, bool rawSqlite = false)
    {
        _rowsPerStatement = db.Database.IsSqlite() ? 1 : 64;
        _connection = db.Database.GetDbConnection();
        _transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException($"{rows} are appended inside the batch's transaction.");
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        _columns = [.. ColumnsOf(entity, table)];
        _insertPrefix = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", _columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ";
        if (rawSqlite && _connection is SqliteConnection sqlite)
        {
            _sqlite = SqliteRowInserter.TryCreate(sqlite, _insertPrefix + "(" + string.Join(", ", _columns.Select((_, i) => "?" + (i + 1))) + ")", _columns);
        }
    }

    public void Append(IReadOnlyList<T> rows)
    {
        if (_sqlite is not null)
        {
            foreach (var row in rows)
            {
                _sqlite.Insert(row);
            }

            return;
        }

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

    public void Dispose()
    {
        _fullChunk?.Dispose();
        _sqlite?.Dispose();
    }

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

    private void Execute(DbCommand command, IReadOnlyList<T> rows, int offset, int count)
    {
        var parameters = command.Parameters;
        var index = 0;
        for (var row = 0; row < count; row++)
        {
            var item = rows[offset + row];
            foreach (var column in _columns)
            {
                parameters[index++].Value = column.ToProvider(item);
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

    private sealed record Column(string Name, RelationalTypeMapping Mapping, bool Nullable, Func<T, object?> Read)
    {
        public object ToProvider(T row)
        {
            var value = Read(row);
            if (value is not null && Mapping.Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            return value ?? DBNull.Value;
        }
    }

    /// <summary>One prepared SQLite INSERT of a row, bound by position.</summary>
    private sealed class SqliteRowInserter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly sqlite3_stmt _statement;
        private readonly Column[] _columns;
        private readonly Kind[] _kinds;

        private SqliteRowInserter(SqliteConnection connection, string sql, Column[] columns, Kind[] kinds)
        {
            _connection = connection;
            _columns = columns;
            _kinds = kinds;
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement), connection.Handle);
        }

        private enum Kind
        {
            Text,
            Integer,
            GuidText,
            Other,
        }

        /// <summary>Null when a column is of a kind this does not bind (the caller keeps the ADO.NET path).</summary>
        public static SqliteRowInserter? TryCreate(SqliteConnection connection, string sql, Column[] columns)
        {
            Kind[] kinds = [.. columns.Select(c => KindOf(c.Mapping))];
            return kinds.Contains(Kind.Other) ? null : new SqliteRowInserter(connection, sql, columns, kinds);
        }

        private static Kind KindOf(RelationalTypeMapping mapping)
        {
            var type = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type == typeof(string) ? Kind.Text
                : type == typeof(int) || type == typeof(long) || type == typeof(bool) ? Kind.Integer
                : type == typeof(Guid) && string.Equals(mapping.StoreType, "TEXT", StringComparison.OrdinalIgnoreCase) ? Kind.GuidText
                : Kind.Other;
        }

        public void Insert(T row)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                var value = _columns[i].ToProvider(row);
                var rc = value is DBNull ? raw.sqlite3_bind_null(_statement, i + 1) : _kinds[i] switch
                {
                    Kind.Text => raw.sqlite3_bind_text(_statement, i + 1, (string)value),
                    Kind.Integer => raw.sqlite3_bind_int64(_statement, i + 1, value switch { int n => n, bool b => b ? 1 : 0, _ => (long)value }),
                    _ => BindGuid(i + 1, (Guid)value),
                };
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            }

            var step = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (step != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(step, _connection.Handle);
            }
        }

        public void Dispose() => _statement.Dispose();

        private int BindGuid(int index, Guid value)
        {
            Span<byte> text = stackalloc byte[36];
            value.TryFormat(text, out _, "D");
            Ascii.ToUpperInPlace(text, out _);
            return raw.sqlite3_bind_text(_statement, index, text);
        }
    }
}

using System.Data.Common;
using System.Numerics;
using CsvHelper;
using Parquet;
using Parquet.Schema;

namespace BudgetPerf.Dashboard.Export;

/// <summary>
/// Writes a streaming reader (a whole grid or mart, no row cap) as CSV (UTF-8 with BOM; text cells starting with
/// = + - @ neutralised; 是/否 and 红灯 … with the Chinese headers), xlsx (typed cells, a 说明 sheet) or Parquet (typed
/// columns). Rows flow from the reader to the file; nothing holds the whole result.
/// </summary>
public static class GridExport
{
    public static readonly string[] Formats = ["csv", "xlsx", "parquet"];

    public static string ContentType(string format) => format switch
    {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "parquet" => "application/vnd.apache.parquet",
        _ => "text/csv; charset=utf-8",
    };

    /// <summary>
    /// Writes the reader with the page's Chinese headers (or, with <see cref="ExportOptions.UseFieldNames"/>, the machine
    /// names); xlsx cells are typed and the workbook has a 说明 sheet (<see cref="XlsxExport"/>). Each format calls
    /// <paramref name="yield"/> every <see cref="YieldEveryRows"/> rows (the dashboard: the request's
    /// <see cref="Readers.ReaderTurn.YieldAsync"/>, which gives its reader slot to the reads waiting when it held it long enough).
    /// </summary>
    public static Task<long> WriteAsync(DbDataReader reader, string format, string path, ExportOptions? options = null,
        CancellationToken ct = default, Func<ValueTask>? yield = null) => format switch
    {
        "csv" => WriteCsvAsync(reader, path, options ?? ExportOptions.Default, yield, ct),
        "xlsx" => XlsxExport.WriteAsync(reader, path, options ?? ExportOptions.Default, yield, ct),
        "parquet" => WriteParquetAsync(reader, path, options ?? ExportOptions.Default, yield, ct),
        _ => throw new ArgumentException($"unknown export format '{format}' (csv, xlsx, parquet)"),
    };

    /// <summary>How often the writers offer to yield (<see cref="WriteAsync"/>): a few milliseconds of rows.</summary>
    public const int YieldEveryRows = 256;

    private static async Task<long> WriteCsvAsync(DbDataReader reader, string path, ExportOptions export, Func<ValueTask>? yield, CancellationToken ct)
    {
        var options = CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape };
        var columns = export.Columns(reader);
        await using var csv = CsvWriter.ToFile(path, options, FileOptions.None);
        csv.WriteRecord(columns.Select(c => c.Header).ToArray());
        var fields = Enumerable.Range(0, reader.FieldCount).Select(i => CsvField(reader, i, export, columns[i].Column.Kind)).ToArray();
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < fields.Length; i++)
                if (reader.IsDBNull(i)) csv.WriteField((object?)null);
                else fields[i](csv);
            csv.EndRecord();
            if (++rows % YieldEveryRows == 0 && yield is not null) await yield();
        }
        return rows;
    }

    /// <summary>
    /// How column <paramref name="i"/>'s value is written: numbers as numbers, read typed (issue 15: a province's whole-year
    /// 偏差排名, 200,140 rows × 26 columns, took 0.80–0.96 s to write through boxed values, recomputed after each pass of a
    /// deadline-week burst); a negative amount is not a formula, only text is neutralised. Anything else as the page shows it.
    /// </summary>
    private static Action<CsvWriter> CsvField(DbDataReader reader, int i, ExportOptions export, ColumnKind kind)
    {
        var type = reader.GetFieldType(i);
        if (type == typeof(decimal)) return csv => csv.WriteField(reader.GetDecimal(i), default);
        if (type == typeof(int)) return csv => csv.WriteField(reader.GetInt32(i), default);
        if (type == typeof(long)) return csv => csv.WriteField(reader.GetInt64(i), default);
        if (type == typeof(string) && (export.UseFieldNames || kind != ColumnKind.Light)) return csv => csv.WriteField(reader.GetString(i));
        return csv => csv.WriteField(export.Displayed(Plain(reader.GetValue(i)), kind));
    }

    /// <summary>Parquet keeps typed columns (bool, decimal(18,4), dates); only the column names follow the header style.</summary>
    private static async Task<long> WriteParquetAsync(DbDataReader reader, string path, ExportOptions export, Func<ValueTask>? yield, CancellationToken ct)
    {
        const int RowGroup = 100_000;
        var names = export.Columns(reader).Select(c => c.Header).ToArray();
        var types = Enumerable.Range(0, reader.FieldCount).Select(i => ParquetType(reader.GetFieldType(i))).ToArray();
        var fields = Enumerable.Range(0, reader.FieldCount)
            .Select(i => types[i] == typeof(decimal)
                ? new DecimalDataField(names[i], 18, 4, isNullable: true)
                : new DataField(names[i], types[i], isNullable: true))
            .ToArray();
        var schema = new ParquetSchema(fields);
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, file, cancellationToken: ct);
        var buffers = types.Select(_ => new List<object?>(RowGroup)).ToArray();
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < types.Length; i++)
                buffers[i].Add(reader.IsDBNull(i) ? null : Convert(reader.GetValue(i), types[i]));
            if (++rows % RowGroup == 0) await FlushAsync(writer, fields, types, buffers, ct);
            if (rows % YieldEveryRows == 0 && yield is not null) await yield();
        }
        if (buffers[0].Count > 0 || rows == 0) await FlushAsync(writer, fields, types, buffers, ct);
        return rows;
    }

    private static async Task FlushAsync(ParquetWriter writer, DataField[] fields, Type[] types, List<object?>[] buffers, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        for (var i = 0; i < fields.Length; i++)
        {
            var b = buffers[i];
            var t = types[i];
            if (t == typeof(string)) await group.WriteAsync(fields[i], b.Select(v => (string)v!).ToArray());
            else if (t == typeof(int)) await Column<int>(group, fields[i], b, ct);
            else if (t == typeof(long)) await Column<long>(group, fields[i], b, ct);
            else if (t == typeof(decimal)) await Column<decimal>(group, fields[i], b, ct);
            else if (t == typeof(double)) await Column<double>(group, fields[i], b, ct);
            else if (t == typeof(bool)) await Column<bool>(group, fields[i], b, ct);
            else await Column<DateTime>(group, fields[i], b, ct);
            b.Clear();
        }
    }

    private static Task Column<T>(ParquetRowGroupWriter group, DataField field, List<object?> values, CancellationToken ct) where T : struct =>
        group.WriteAsync<T>(field, values.Select(v => v is null ? (T?)null : (T)v).ToArray(), null, null, ct);

    private static Type ParquetType(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(double) || t == typeof(bool) || t == typeof(DateTime)
            ? t
            : t == typeof(short) || t == typeof(byte) ? typeof(int)
            : t == typeof(float) ? typeof(double)
            : t == typeof(DateOnly) ? typeof(DateTime)
            : t == typeof(BigInteger) ? typeof(decimal)
            : typeof(string);

    private static object? Convert(object value, Type target) => value switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        BigInteger b => (decimal)b,
        _ when target == typeof(string) => value.ToString(),
        _ => System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>DuckDB's HUGEINT and DATE as plain .NET values.</summary>
    private static object Plain(object value) => value switch
    {
        BigInteger b => (decimal)b,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        _ => value,
    };

    /// <summary>A text cell that Excel would read as a formula gets a leading apostrophe; numbers are left alone.</summary>
    public static object Neutralise(object value) =>
        value is string { Length: > 0 } s && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : value;
}

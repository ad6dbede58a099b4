#:package DuckDB.NET.Data.Full
// Compares the warehouse of two builds row for row (issue 12: "the marts are byte-identical before and after on
// the county demo"). Every staging, core and mart model named in run_results of the first file (plus the seeds'
// dim_period) is dumped from each DuckDB file as CSV sorted by all its columns, and the two dumps are compared byte
// for byte. A column only one side has (a column added by the change) is listed and left out of the comparison:
// the columns both builds have must be identical. A model only AFTER has is listed as added; one only BEFORE has
// counts as a difference.
//
//   dotnet run etl/tools/CompareBuilds/compare-builds.cs -- BEFORE.duckdb AFTER.duckdb [DUMP_DIR]
//
// Prints one line per table (identical / DIFFERENT with row counts and the first differing line), then
// "N identical, N different"; exits 0 when every table is identical, 1 otherwise, 2 on usage errors.
// Both files must be closed by every other process (DuckDB allows one process per file).
using System.Text;
using DuckDB.NET.Data;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: compare-builds.cs BEFORE.duckdb AFTER.duckdb [DUMP_DIR]");
    return 2;
}
var before = Path.GetFullPath(args[0]);
var after = Path.GetFullPath(args[1]);
var dumpDir = Path.GetFullPath(args.Length == 3 ? args[2] : Path.Combine(Path.GetTempPath(), "compare-builds"));
foreach (var file in new[] { before, after })
{
    if (!File.Exists(file)) { Console.Error.WriteLine($"没有这个文件：{file}"); return 1; }
}

var tables = ModelTables(before);
var tablesAfter = ModelTables(after);
var identical = 0;
var different = 0;
foreach (var added in tablesAfter.Except(tables).Order(StringComparer.Ordinal))
    Console.WriteLine($"added      {added} (a model only AFTER has)");
foreach (var missing in tables.Except(tablesAfter).Order(StringComparer.Ordinal))
{
    Console.WriteLine($"DIFFERENT  {missing}: only in BEFORE");
    different++;
}
var both = tables.Intersect(tablesAfter).Order(StringComparer.Ordinal).ToList();
var columnsBefore = both.ToDictionary(t => t, t => Columns(before, t));
var columnsAfter = both.ToDictionary(t => t, t => Columns(after, t));
var common = both.ToDictionary(t => t, t => columnsBefore[t].Where(columnsAfter[t].Contains).ToList());
var dumpsBefore = Dump(before, Path.Combine(dumpDir, "before"), common);
var dumpsAfter = Dump(after, Path.Combine(dumpDir, "after"), common);
foreach (var table in both)
{
    var added = columnsAfter[table].Except(columnsBefore[table]).ToList();
    var removed = columnsBefore[table].Except(columnsAfter[table]).ToList();
    if (added.Count > 0) Console.WriteLine($"columns    {table}: added {string.Join(", ", added)}");
    if (removed.Count > 0)
    {
        Console.WriteLine($"DIFFERENT  {table}: columns removed {string.Join(", ", removed)}");
        different++;
    }
    var a = File.ReadAllBytes(dumpsBefore[table]);
    var b = File.ReadAllBytes(dumpsAfter[table]);
    var rows = CountLines(a) - 1;
    if (a.AsSpan().SequenceEqual(b))
    {
        Console.WriteLine($"identical  {table} ({rows} rows, {a.Length} bytes)");
        identical++;
        continue;
    }
    var linesA = Encoding.UTF8.GetString(a).Split('\n');
    var linesB = Encoding.UTF8.GetString(b).Split('\n');
    var first = Enumerable.Range(0, Math.Min(linesA.Length, linesB.Length)).FirstOrDefault(i => linesA[i] != linesB[i], -1);
    Console.WriteLine($"DIFFERENT  {table}: {rows} rows before, {CountLines(b) - 1} after" +
        (first >= 0 ? $"; line {first + 1}:\n    before: {linesA[first]}\n    after:  {linesB[first]}" : ""));
    different++;
}
Console.WriteLine($"{identical} identical, {different} different (dumps in {dumpDir})");
return different == 0 ? 0 : 1;

// The models of the latest build in run_results, staging/core/marts alike, and the seed tables they read
// (not the `bi` node: it is a schema of views over these).
static List<string> ModelTables(string file)
{
    using var connection = Open(file);
    using var command = connection.CreateCommand();
    command.CommandText = """
        SELECT DISTINCT node FROM run_results
        WHERE node_type IN ('model', 'seed') AND status = 'success'
          AND run_id = (SELECT run_id FROM run_results ORDER BY started_at DESC LIMIT 1)
          AND node IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'main')
        """;
    using var reader = command.ExecuteReader();
    var names = new List<string>();
    while (reader.Read()) names.Add(reader.GetString(0));
    return names;
}

static List<string> Columns(string file, string table)
{
    using var connection = Open(file);
    using var command = connection.CreateCommand();
    command.CommandText = $"SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = '{table}' ORDER BY ordinal_position";
    using var reader = command.ExecuteReader();
    var names = new List<string>();
    while (reader.Read()) names.Add(reader.GetString(0));
    return names;
}

static Dictionary<string, string> Dump(string file, string folder, Dictionary<string, List<string>> tables)
{
    Directory.CreateDirectory(folder);
    using var connection = Open(file);
    var paths = new Dictionary<string, string>();
    foreach (var (table, columns) in tables)
    {
        var path = Path.Combine(folder, table + ".csv");
        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
        using var command = connection.CreateCommand();
        // ORDER BY ALL sorts by every column left to right; the CSV is the byte-level form compared.
        command.CommandText = $"COPY (SELECT {list} FROM \"{table}\" ORDER BY ALL) TO '{path.Replace("'", "''")}' (HEADER, DELIMITER ',')";
        command.ExecuteNonQuery();
        paths[table] = path;
    }
    return paths;
}

static DuckDBConnection Open(string file)
{
    var connection = new DuckDBConnection($"Data Source={file};ACCESS_MODE=READ_ONLY");
    connection.Open();
    return connection;
}

static int CountLines(byte[] bytes) => bytes.Count(b => b == (byte)'\n');

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DuckDB.NET.Native;
using Native = DuckDB.NET.Native.NativeMethods;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>The column types <see cref="DuckDbChunk"/> writes, and how (decimals by their storage width).</summary>
internal readonly record struct ChunkColumn(ChunkColumn.Kind Type, decimal ScaleFactor, decimal Limit)
{
    public enum Kind : byte { Varchar, Integer, BigInt, Boolean, Decimal16, Decimal32, Decimal64 }

    /// <summary>The column for a DuckDB logical type, or null when this path does not write it.</summary>
    public static ChunkColumn? Of(DuckDBLogicalType type)
    {
        switch (Native.LogicalType.DuckDBGetTypeId(type))
        {
            case DuckDBType.Varchar: return new(Kind.Varchar, 1, 0);
            case DuckDBType.Integer: return new(Kind.Integer, 1, 0);
            case DuckDBType.BigInt: return new(Kind.BigInt, 1, 0);
            case DuckDBType.Boolean: return new(Kind.Boolean, 1, 0);
            case DuckDBType.Decimal:
                var (width, scale) = (Native.LogicalType.DuckDBDecimalWidth(type), Native.LogicalType.DuckDBDecimalScale(type));
                if (width > 18) return null;
                var kind = width <= 4 ? Kind.Decimal16 : width <= 9 ? Kind.Decimal32 : Kind.Decimal64;
                return new(kind, Pow10(scale), Pow10(width));
            default: return null;
        }
    }

    private static decimal Pow10(int n)
    {
        var p = 1m;
        for (var i = 0; i < n; i++) p *= 10m;
        return p;
    }
}

/// <summary>
/// One DuckDB data chunk being filled: up to 2,048 rows written straight into its vectors, without a native call per
/// value (short strings inline in the vector, numbers and validity bits in its buffers); only a string longer than
/// 12 UTF-8 bytes is one call, unchecked (.NET strings encode to valid UTF-8). Filled on one thread, appended on another.
/// </summary>
internal sealed unsafe class DuckDbChunk : IDisposable
{
    private readonly string _table;
    private readonly ChunkColumn[] _columns;
    private readonly nint[] _vectors, _data, _validity;   // validity: 0 until the chunk's first null in that column
    private readonly ulong _capacity = Native.Helpers.DuckDBVectorSize();

    public DuckDbChunk(string table, ChunkColumn[] columns, nint[] logicalTypes, StringEncodings encodings)
    {
        (_table, _columns, _encodings) = (table, columns, encodings);
        Handle = Native.DataChunks.DuckDBCreateDataChunk(logicalTypes, (ulong)columns.Length);
        _vectors = new nint[columns.Length];
        _data = new nint[columns.Length];
        _validity = new nint[columns.Length];
        Bind();
    }

    public DuckDBDataChunk Handle { get; }

    public ulong Rows { get; private set; }

    public bool IsFull => Rows == _capacity;

    /// <summary>Adds one row (values in column order; null is NULL).</summary>
    /// <remarks>Called once per row of a bulk load: compiled optimised at once, not first as slow tier-0 code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(object?[] values)
    {
        if (values.Length != _columns.Length)
            throw new ArgumentException($"{_table}: {values.Length} values for {_columns.Length} columns");
        var row = Rows;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value is null)
            {
                SetNull(i, row);
                continue;
            }
            var data = _data[i];
            switch (_columns[i].Type)
            {
                case ChunkColumn.Kind.Varchar: WriteString(i, row, value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture)!); break;
                case ChunkColumn.Kind.Integer: ((int*)data)[row] = value is int n ? n : Convert.ToInt32(value, CultureInfo.InvariantCulture); break;
                case ChunkColumn.Kind.BigInt: ((long*)data)[row] = value is long l ? l : Convert.ToInt64(value, CultureInfo.InvariantCulture); break;
                case ChunkColumn.Kind.Boolean: ((byte*)data)[row] = (bool)value ? (byte)1 : (byte)0; break;
                case ChunkColumn.Kind.Decimal16: ((short*)data)[row] = (short)Scaled(i, value); break;
                case ChunkColumn.Kind.Decimal32: ((int*)data)[row] = (int)Scaled(i, value); break;
                case ChunkColumn.Kind.Decimal64: ((long*)data)[row] = Scaled(i, value); break;
            }
        }
        Rows = row + 1;
    }

    /// <summary>The decimal as DuckDB stores it: an integer count of 10^-scale, rounded half away from zero.</summary>
    private long Scaled(int column, object value)
    {
        var d = value is decimal m ? m : Convert.ToDecimal(value, CultureInfo.InvariantCulture);
        var scaled = decimal.Round(d * _columns[column].ScaleFactor, MidpointRounding.AwayFromZero);
        if (Math.Abs(scaled) >= _columns[column].Limit)
            throw new OverflowException($"{_table}: {d.ToString(CultureInfo.InvariantCulture)} 超出 DECIMAL 列的范围");
        return (long)scaled;
    }

    private readonly StringEncodings _encodings;

    private void WriteString(int column, ulong row, string s)
    {
        ref var e = ref _encodings.Of(column, s);
        var slot = (byte*)_data[column] + row * 16;
        if (e.Long is null)
        {
            ((ulong*)slot)[0] = e.Low;
            ((ulong*)slot)[1] = e.High;
            return;
        }
        fixed (byte* bytes = e.Long)
        {
            if (e.HasNul)   // DuckDB checks (and refuses) a NUL byte itself
                Native.Vectors.DuckDBVectorAssignStringElementLength(_vectors[column], row, bytes, e.Length);
            else
                Native.Vectors.DuckDBUnsafeVectorAssignStringElementLength(_vectors[column], row, bytes, e.Length);
        }
    }

    private void SetNull(int column, ulong row)
    {
        if (_validity[column] == 0)
        {
            Native.Vectors.DuckDBVectorEnsureValidityWritable(_vectors[column]);
            _validity[column] = (nint)Native.Vectors.DuckDBVectorGetValidity(_vectors[column]);
        }
        ((ulong*)_validity[column])[row >> 6] &= ~(1UL << (int)(row & 63));
    }

    /// <summary>Empties the chunk for the next rows (its vectors' buffers may move).</summary>
    public void Reset()
    {
        Native.DataChunks.DuckDBDataChunkReset(Handle);
        Rows = 0;
        Bind();
    }

    private void Bind()
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            _vectors[i] = Native.DataChunks.DuckDBDataChunkGetVector(Handle, i);
            _data[i] = (nint)Native.Vectors.DuckDBVectorGetData(_vectors[i]);
            _validity[i] = 0;
        }
    }

    public void Dispose() => Handle.Dispose();
}

/// <summary>
/// Strings' DuckDB encodings, remembered per column for all the chunks of one load (filled on one thread): the loader's
/// rows repeat the same string instances (指标名称, 单位, 期间 …), so a repeat is a reference compare and a 16-byte copy
/// (or, for a string longer than 12 bytes, the copy call without encoding it again).
/// </summary>
internal sealed class StringEncodings(int columns)
{
    /// <summary>Slots per column, indexed by the string's identity hash: enough that a column's few dozen values rarely collide.</summary>
    private const int Ways = 64;

    public struct Encoded
    {
        public string? Text;
        public ulong Low, High;      // the duckdb_string_t of an inline string
        public byte[]? Long;         // UTF-8 of a longer one (Length bytes)
        public int Length;
        public bool HasNul;
    }

    private const int InlineBytes = 12;
    private readonly Encoded[] _slots = new Encoded[columns * Ways];

    public ref Encoded Of(int column, string s)
    {
        ref var e = ref _slots[column * Ways + (RuntimeHelpers.GetHashCode(s) & (Ways - 1))];
        if (!ReferenceEquals(e.Text, s)) Encode(ref e, s);
        return ref e;
    }

    /// <summary>duckdb_string_t: uint32 length, then 12 inline bytes (zero padded), or a 4-byte prefix and a pointer.</summary>
    private static void Encode(ref Encoded e, string s)
    {
        e.Text = s;
        if (s.Length <= InlineBytes)
        {
            Span<byte> image = stackalloc byte[16];
            image.Clear();
            if (Encoding.UTF8.TryGetBytes(s, image[4..], out var written) && !image.Slice(4, written).Contains((byte)0))
            {
                BitConverter.TryWriteBytes(image, (uint)written);
                e.Low = BitConverter.ToUInt64(image);
                e.High = BitConverter.ToUInt64(image[8..]);
                e.Long = null;
                return;
            }
        }
        var max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (e.Long is null || e.Long.Length < max) e.Long = new byte[Math.Max(max, 64)];
        e.Length = Encoding.UTF8.GetBytes(s, e.Long);
        e.HasNul = e.Long.AsSpan(0, e.Length).Contains((byte)0);
    }
}

namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>
/// The checks an .xls passes before it is read, beside the upload's size limit: it must be an OLE2 compound file
/// (an .xlsx or a text file renamed .xls is refused with a clear reason), and a file the reader cannot parse is
/// refused as damaged, never half-read. BIFF8 holds at most 65,536 rows × 256 columns a sheet, so no sheet exceeds Excel's limits.
/// </summary>
public static class XlsGuard
{
    private static readonly byte[] Ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static XlsWorkbook Open(string path)
    {
        var head = new byte[8];
        using (var stream = File.OpenRead(path))
            if (stream.Read(head, 0, 8) < 8 || !head.AsSpan().SequenceEqual(Ole2))
                throw new XlsxRefusedException(null, $"{Path.GetFileName(path)}: 不是 Excel 97-2003 (.xls) 文件" +
                    (head[0] == (byte)'P' && head[1] == (byte)'K' ? "（内容是 .xlsx，请改扩展名为 .xlsx）" : ""));
        try
        {
            return new XlsWorkbook(path);
        }
        catch (Exception ex) when (ex is not XlsxRefusedException and not OutOfMemoryException)
        {
            throw new XlsxRefusedException(null, $"{Path.GetFileName(path)}: .xls 文件已损坏或加密，无法读取（{ex.GetType().Name}）");
        }
    }
}

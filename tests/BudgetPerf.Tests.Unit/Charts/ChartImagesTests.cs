using BudgetPerf.Dashboard.Charts;
using SkiaSharp;

namespace BudgetPerf.Tests.Unit.Charts;

/// <summary>The charts' PNGs (下载图片), encoded fast (issue 15: readers during a burst): still whole, lossless images.</summary>
public sealed class ChartImagesTests
{
    [Fact]
    public void A_heatmap_png_decodes_to_its_full_size_with_the_cells_drawn_and_an_empty_cell_left_white()
    {
        string[] rows = ["教育局", "交通局", "卫健委"];
        string[] columns = ["产出指标", "效益指标", "满意度指标"];
        var values = new double[3, 3] { { 0.1, 0.5, 0.9 }, { 0.3, double.NaN, 0.7 }, { 0.2, 0.4, 0.6 } };

        var png = ChartImages.Heatmap("2025 年 1-6月 偏差热力图", rows, columns, values);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        using var bitmap = SKBitmap.Decode(png);
        // three rows: the height is the 400 px floor (120 + 3 × 22 = 186 is less); the width is the chart's 1100
        Assert.Equal((1100, 400), (bitmap.Width, bitmap.Height));
        var colours = new HashSet<SKColor>();
        for (var y = 0; y < bitmap.Height; y += 4)
            for (var x = 0; x < bitmap.Width; x += 4)
                colours.Add(bitmap.GetPixel(x, y));
        // eight coloured cells, the colour bar's gradient and the anti-aliased glyphs: far more than a blank canvas's few
        Assert.True(colours.Count > 50, $"{colours.Count} colours");
    }

    [Fact]
    public void The_fast_png_holds_exactly_the_pixels_drawn()
    {
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 1, 3, 2 });
        // drawn on the surface Png draws on (RGBA: its anti-aliasing differs by a level from the platform's BGRA)
        using var surface = SKSurface.Create(new SKImageInfo(300, 200, SKColorType.Rgba8888, SKAlphaType.Premul));
        plot.Render(surface.Canvas, 300, 200);
        using var drawn = SKBitmap.FromImage(surface.Snapshot());

        using var decoded = SKBitmap.Decode(ChartImages.Png(plot, 300, 200));

        Assert.Equal(drawn.Pixels, decoded.Pixels);
    }
}

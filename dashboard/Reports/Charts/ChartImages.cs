using ScottPlot;
using SkiaSharp;

namespace BudgetPerf.Dashboard.Charts;

/// <summary>
/// The PNG behind every chart's 下载图片: the same series drawn by ScottPlot with a CJK font
/// (WenQuanYi Micro Hei; without it Chinese renders as boxes).
/// </summary>
public static class ChartImages
{
    public const string CjkFont = "WenQuanYi Micro Hei";

    static ChartImages() => Fonts.Default = CjkFont;

    /// <summary>Lines over categorical x labels (e.g. 执行率 and 序时进度 by period), values in percent.</summary>
    public static byte[] Lines(string title, IReadOnlyList<string> labels, IReadOnlyList<(string Name, double?[] Values)> series,
        string yLabel = "%", int width = 1000, int height = 500)
    {
        var plot = NewPlot(title);
        var xs = Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray();
        foreach (var (name, values) in series)
        {
            var points = xs.Zip(values).Where(p => p.Second is not null).ToArray();
            var scatter = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => p.Second!.Value).ToArray());
            scatter.LegendText = name;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 6;
        }
        Ticks(plot, labels);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot, width, height);
    }

    /// <summary>Grouped bars over categorical x labels.</summary>
    public static byte[] Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<(string Name, double[] Values)> series,
        string yLabel = "", int width = 1000, int height = 500)
    {
        var plot = NewPlot(title);
        var palette = new ScottPlot.Palettes.Category10();
        var n = Math.Max(1, series.Count);
        var bars = new List<Bar>();
        for (var s = 0; s < series.Count; s++)
            for (var i = 0; i < labels.Count; i++)
                bars.Add(new Bar
                {
                    Position = i + (s - (n - 1) / 2.0) * 0.8 / n, Value = series[s].Values[i], Size = 0.8 / n,
                    FillColor = palette.GetColor(s),
                });
        plot.Add.Bars(bars);
        for (var s = 0; s < series.Count; s++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = palette.GetColor(s) });
        Ticks(plot, labels);
        plot.YLabel(yLabel);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot, width, height);
    }

    /// <summary>A department × category heatmap; missing cells are left empty (NaN), not zero.</summary>
    public static byte[] Heatmap(string title, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[,] values,
        int width = 1100, int height = 0)
    {
        var plot = NewPlot(title);
        var heat = plot.Add.Heatmap(values);
        heat.Colormap = new ScottPlot.Colormaps.MellowRainbow();
        heat.NaNCellColor = Colors.White;
        plot.Add.ColorBar(heat).Label = "平均差距";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, columns.Count).Select(i => (double)i).ToArray(), columns.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i)).ToArray(), rows.ToArray());
        SetFonts(plot);
        return Png(plot, width, height > 0 ? height : Math.Max(400, 120 + rows.Count * 22));
    }

    /// <summary>
    /// The plot drawn as a PNG (<see cref="PngFile"/>), on an RGBA surface: the order of the file's samples, written as drawn.
    /// </summary>
    public static byte[] Png(Plot plot, int width, int height)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
                            ?? throw new InvalidOperationException($"no surface for the chart ({width} × {height})");
        plot.Render(surface.Canvas, width, height);
        using var image = surface.Snapshot();
        return PngFile.Encode(image);
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Title(title);
        SetFonts(plot);
        return plot;
    }

    private static void SetFonts(Plot plot)
    {
        plot.Font.Set(CjkFont);
        plot.Axes.Title.Label.FontName = CjkFont;
        plot.Legend.FontName = CjkFont;
    }

    private static void Ticks(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        if (labels.Count > 8) plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = labels.Count > 8 ? Alignment.MiddleRight : Alignment.UpperCenter;
        SetFonts(plot);
    }
}

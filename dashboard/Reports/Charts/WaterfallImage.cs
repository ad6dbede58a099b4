using ScottPlot;

namespace BudgetPerf.Dashboard.Charts;

/// <summary>
/// 预算安排模拟's 瀑布图 as a PNG (下载图片): 本年预算, each rule's change floating from the running level (green up,
/// red down), 下年建议安排. The amounts come from the warehouse; the running level is only where each bar is drawn.
/// </summary>
public static class WaterfallImage
{
    public static byte[] Render(string title, double start, IReadOnlyList<(string Label, double Value)> steps, double end,
        int width = 1000, int height = 500)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.Font.Set(ChartImages.CjkFont);
        var labels = new List<string> { "本年预算" };
        var bars = new List<Bar> { new() { Position = 0, Value = start, FillColor = Colors.SteelBlue } };
        var level = start;
        foreach (var (label, value) in steps)
        {
            labels.Add(label);
            bars.Add(new Bar
            {
                Position = labels.Count - 1, ValueBase = level, Value = level + value,
                FillColor = value >= 0 ? Colors.ForestGreen : Colors.FireBrick,
            });
            level += value;
        }
        labels.Add("下年建议安排");
        bars.Add(new Bar { Position = labels.Count - 1, Value = end, FillColor = Colors.SteelBlue });
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontName = ChartImages.CjkFont;
        plot.Axes.Left.TickLabelStyle.FontName = ChartImages.CjkFont;
        plot.Axes.Title.Label.FontName = ChartImages.CjkFont;
        plot.YLabel("万元");
        return ChartImages.Png(plot, width, height);
    }
}

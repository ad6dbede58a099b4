using BudgetPerf.Dashboard.Charts;
using SkiaSharp;

namespace BudgetPerf.Tests.Unit.Charts;

/// <summary>The charts' own PNG writer: any drawn image decodes to the pixels drawn, whatever its layout and alpha.</summary>
public sealed class PngFileTests
{
    [Theory]
    [InlineData(SKColorType.Rgba8888, true)]    // a chart's surface: written as drawn
    [InlineData(SKColorType.Rgba8888, false)]   // half-transparent pixels: premultiplied samples converted to straight ones
    [InlineData(SKColorType.Bgra8888, true)]    // the platform's own order: converted
    public void An_image_decodes_to_exactly_the_pixels_drawn(SKColorType layout, bool opaque)
    {
        using var surface = SKSurface.Create(new SKImageInfo(301, 7, layout, SKAlphaType.Premul));
        surface.Canvas.Clear(opaque ? SKColors.White : SKColors.Transparent);
        using (var paint = new SKPaint { Color = new SKColor(200, 100, 50, opaque ? (byte)255 : (byte)128) })
            surface.Canvas.DrawRect(10, 1, 150, 4, paint);
        using (var paint = new SKPaint { Color = new SKColor(20, 180, 240, 255) })
            surface.Canvas.DrawCircle(250, 3, 3, paint);
        using var image = surface.Snapshot();
        using var drawn = SKBitmap.FromImage(image);

        var png = PngFile.Encode(image);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        using var decoded = SKBitmap.Decode(png);
        Assert.Equal((301, 7), (decoded.Width, decoded.Height));
        Assert.Equal(opaque ? 255 : 128, decoded.GetPixel(20, 2).Alpha);
        Assert.Equal(drawn.Pixels, decoded.Pixels);
    }
}

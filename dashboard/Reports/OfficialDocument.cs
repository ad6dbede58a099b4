using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// A 公文-like Word document: A4 portrait with 公文 margins, 仿宋 body (三号), 黑体 一级标题 "一、", 楷体 二级标题 "（一）",
/// a 宋体 bold title; every CJK face falls back to 宋体 (w:altName in the font table) and the East Asian font is set
/// through w:eastAsia so Latin digits stay in Times New Roman.
/// </summary>
public sealed class OfficialDocument : IDisposable
{
    private const string Latin = "Times New Roman";

    /// <summary>The text width of the A4 page between the 公文 margins: 11906 − 1588 − 1474 twips, in EMU (635 per twip).</summary>
    public const long TextWidthEmu = TextWidth * 635L;

    /// <summary>The A4 text width between the margins, in twentieths of a point (what table grids divide).</summary>
    internal const int TextWidth = 11906 - 1588 - 1474;

    private uint _images;
    private readonly WordprocessingDocument _package;
    private readonly Body _body;

    private OfficialDocument(WordprocessingDocument package)
    {
        _package = package;
        var main = package.AddMainDocumentPart();
        main.Document = new Document(_body = new Body());
        AddStyles(main);
        AddFonts(main);
    }

    public static OfficialDocument Create(Stream stream) =>
        new(WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document));

    public void Title(string text) => _body.Append(Paragraph("ReportTitle", text));

    public void Heading1(string text) => _body.Append(Paragraph("Heading1", text));

    public void Heading2(string text) => _body.Append(Paragraph("Heading2", text));

    public void Body(string text) => _body.Append(Paragraph(null, text));

    /// <summary>A PNG as an inline picture the width of the text, centred, in a paragraph of its own, with a caption below.</summary>
    public void Image(byte[] png, int pixelWidth, int pixelHeight, string caption)
    {
        var main = _package.MainDocumentPart!;
        var part = main.AddImagePart(ImagePartType.Png);
        using (var data = new MemoryStream(png)) part.FeedData(data);
        var id = ++_images;
        var cx = TextWidthEmu;
        var cy = cx * pixelHeight / pixelWidth;
        var name = $"图{id}";
        var picture = new PIC.Picture(
            new PIC.NonVisualPictureProperties(
                new PIC.NonVisualDrawingProperties { Id = 0U, Name = name + ".png" },
                new PIC.NonVisualPictureDrawingProperties()),
            new PIC.BlipFill(new A.Blip { Embed = main.GetIdOfPart(part) }, new A.Stretch(new A.FillRectangle())),
            new PIC.ShapeProperties(
                new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = cx, Cy = cy }),
                new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }));
        var inline = new DW.Inline(
            new DW.Extent { Cx = cx, Cy = cy },
            new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
            new DW.DocProperties { Id = id, Name = name, Description = caption },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(picture) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        { DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U };
        // the body's exact 28 pt line would clip the picture: this paragraph uses single (auto) spacing
        _body.Append(new Paragraph(
            new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { Line = "240", LineRule = LineSpacingRuleValues.Auto },
                new Indentation { FirstLine = "0" }, new Justification { Val = JustificationValues.Center }),
            new Run(new Drawing(inline))));
        _body.Append(new Paragraph(
            new ParagraphProperties(new Indentation { FirstLine = "0" }, new Justification { Val = JustificationValues.Center }),
            new Run(new RunProperties(new FontSize { Val = "24" }, new FontSizeComplexScript { Val = "24" }),
                new Text($"{name} {caption}") { Space = SpaceProcessingModeValues.Preserve })));
    }

    /// <summary>
    /// A table with a header row, in 小四 (12 pt) with single line spacing, borders single; <paramref name="widths"/>
    /// are relative column widths (equal when omitted).
    /// </summary>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<int>? widths = null)
    {
        var weights = widths is { Count: > 0 } w && w.Count == header.Count ? w : header.Select(_ => 1).ToList();
        var table = new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
                new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 },
                new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 })));
        table.Append(new TableGrid(weights.Select(x => new GridColumn { Width = (TextWidth * x / weights.Sum()).ToString() })));
        table.Append(Row(header, bold: true));
        foreach (var row in rows) table.Append(Row(row, bold: false));
        _body.Append(table);
        _body.Append(new Paragraph());
    }

    /// <summary>The report tables' properties: the whole text width, single borders around and between cells.</summary>
    private static TableProperties FullWidthBordered() => new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
                new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 },
                new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }));

    /// <summary>
    /// A form of label/value rows (反馈书 style): the label column narrow and bold, each value one or more paragraphs
    /// in body text, left-aligned.
    /// </summary>
    public void Form(IEnumerable<(string Label, IReadOnlyList<string> Paragraphs)> rows)
    {
        const int labelWidth = 2700, valueWidth = TextWidth - labelWidth;   // 三号: 7 characters (主要问题与建议) + cell margins
        var table = new Table(FullWidthBordered(),
            new TableGrid(new GridColumn { Width = labelWidth.ToString() }, new GridColumn { Width = valueWidth.ToString() }));
        foreach (var (label, paragraphs) in rows)
        {
            var labelCell = new TableCell(
                new TableCellProperties(new TableCellWidth { Width = labelWidth.ToString(), Type = TableWidthUnitValues.Dxa },
                    new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center }),
                new Paragraph(new ParagraphProperties(new Indentation { FirstLine = "0" }, new Justification { Val = JustificationValues.Center }),
                    new Run(new RunProperties(new Bold()), new Text(label) { Space = SpaceProcessingModeValues.Preserve })));
            var valueCell = new TableCell(new TableCellProperties(new TableCellWidth { Width = valueWidth.ToString(), Type = TableWidthUnitValues.Dxa }));
            foreach (var text in paragraphs.DefaultIfEmpty(""))
                valueCell.Append(new Paragraph(new ParagraphProperties(new Indentation { FirstLine = "0" }, new Justification { Val = JustificationValues.Left }),
                    new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));
            table.Append(new TableRow(labelCell, valueCell));
        }
        _body.Append(table);
        _body.Append(new Paragraph());
    }

    /// <summary>
    /// A printed form's grid (表2-B, 表1-B) on columns of <paramref name="widths"/> (twips, summing to the text width):
    /// labels bold and centred, values left-aligned, cells spanning columns and labels merged down rows as printed.
    /// </summary>
    public void Grid(IReadOnlyList<int> widths, IEnumerable<IReadOnlyList<FormCell>> rows)
    {
        var table = new Table(FullWidthBordered(), new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString() })));
        foreach (var cells in rows)
        {
            var row = new TableRow();
            var column = 0;
            foreach (var cell in cells)
            {
                var width = widths.Skip(column).Take(cell.Span).Sum();
                column += cell.Span;
                var properties = new TableCellProperties(new TableCellWidth { Width = width.ToString(), Type = TableWidthUnitValues.Dxa });
                if (cell.Span > 1) properties.Append(new GridSpan { Val = cell.Span });
                if (cell.Merge != RowMerge.None)
                    properties.Append(new VerticalMerge { Val = cell.Merge == RowMerge.Restart ? MergedCellValues.Restart : MergedCellValues.Continue });
                if (cell.IsLabel) properties.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center });
                var tableCell = new TableCell(properties);
                foreach (var text in cell.Paragraphs.DefaultIfEmpty(""))
                {
                    var run = new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
                    if (cell.IsLabel && text.Length > 0) run.PrependChild(new RunProperties(new Bold()));
                    tableCell.Append(new Paragraph(new ParagraphProperties(new Indentation { FirstLine = "0" },
                        new Justification { Val = cell.IsLabel ? JustificationValues.Center : JustificationValues.Left }), run));
                }
                row.Append(tableCell);
            }
            table.Append(row);
        }
        _body.Append(table);
    }

    /// <summary>A left-aligned line under a form (备注：…).</summary>
    public void Note(string text) => _body.Append(new Paragraph(
        new ParagraphProperties(new Indentation { FirstLine = "0" }, new Justification { Val = JustificationValues.Left }),
        new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));

    /// <summary>A right-aligned line (落款: 单位、日期).</summary>
    public void Signature(string text) => _body.Append(new Paragraph(
        new ParagraphProperties(new Indentation { FirstLine = "0" }, new Justification { Val = JustificationValues.Right }),
        new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));

    /// <summary>A small left-aligned label above the title (表2-B).</summary>
    public void FormNumber(string text) => _body.Append(new Paragraph(
        new ParagraphProperties(new Indentation { FirstLine = "0" }),
        new Run(new RunProperties(new RunFonts { EastAsia = "黑体" }), new Text(text))));

    /// <summary>Closes the body with the A4 portrait section (公文 margins 37/35/28/26 mm) and saves.</summary>
    public void Dispose()
    {
        _body.Append(new SectionProperties(
            new PageSize { Width = 11906U, Height = 16838U, Orient = PageOrientationValues.Portrait },
            new PageMargin { Top = 2098, Bottom = 1984, Left = 1588U, Right = 1474U, Header = 851U, Footer = 992U, Gutter = 0U }));
        _package.Dispose();
    }

    private static Paragraph Paragraph(string? style, string text)
    {
        var paragraph = new Paragraph();
        if (style is not null) paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        paragraph.Append(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        return paragraph;
    }

    private static TableRow Row(IEnumerable<string> cells, bool bold) =>
        new(cells.Select(text =>
        {
            var run = new RunProperties();
            if (bold) run.Append(new Bold());
            run.Append(new FontSize { Val = "24" }, new FontSizeComplexScript { Val = "24" });
            return new TableCell(new Paragraph(
                new ParagraphProperties(new SpacingBetweenLines { Line = "300", LineRule = LineSpacingRuleValues.Auto },
                    new Indentation { FirstLine = "0" }),
                new Run(run, new Text(text) { Space = SpaceProcessingModeValues.Preserve })));
        }));

    private static void AddStyles(MainDocumentPart main)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    Fonts("仿宋"), new FontSize { Val = "32" }, new FontSizeComplexScript { Val = "32" },
                    new Languages { Val = "en-US", EastAsia = "zh-CN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { Line = "560", LineRule = LineSpacingRuleValues.Exact }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle(),
                new StyleParagraphProperties(new Indentation { FirstLine = "640" }, new Justification { Val = JustificationValues.Both }))
            { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            Heading("ReportTitle", "报告标题", "宋体", "44", null, JustificationValues.Center, bold: true),
            Heading("Heading1", "heading 1", "黑体", "32", 0, JustificationValues.Left, bold: false),
            Heading("Heading2", "heading 2", "楷体", "32", 1, JustificationValues.Left, bold: false));
    }

    private static Style Heading(string id, string name, string font, string size, int? outline, JustificationValues justification, bool bold)
    {
        var paragraph = new StyleParagraphProperties(new KeepNext());
        paragraph.Append(new Indentation { FirstLine = id == "ReportTitle" ? "0" : "640" });
        paragraph.Append(new Justification { Val = justification });
        if (outline is { } level) paragraph.Append(new OutlineLevel { Val = level });
        var run = new StyleRunProperties(Fonts(font));
        if (bold) run.Append(new Bold());
        run.Append(new FontSize { Val = size }, new FontSizeComplexScript { Val = size });
        return new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" },
            new PrimaryStyle(), paragraph, run) { Type = StyleValues.Paragraph, StyleId = id };
    }

    private static RunFonts Fonts(string eastAsia) =>
        new() { Ascii = Latin, HighAnsi = Latin, ComplexScript = Latin, EastAsia = eastAsia, Hint = FontTypeHintValues.EastAsia };

    /// <summary>The CJK faces, each with 宋体 as its alternate name (what Word and LibreOffice use when the face is missing).</summary>
    private static void AddFonts(MainDocumentPart main)
    {
        var fonts = main.AddNewPart<FontTablePart>();
        fonts.Fonts = new Fonts(
            Font("宋体", "SimSun"), Font("仿宋", "宋体"), Font("黑体", "宋体"), Font("楷体", "宋体"),
            new Font(new FontFamily { Val = FontFamilyValues.Roman }) { Name = Latin });
    }

    private static Font Font(string name, string alternate) =>
        new(new AltName { Val = alternate }, new FontCharSet { Val = "86" }, new FontFamily { Val = FontFamilyValues.Auto }) { Name = name };
}

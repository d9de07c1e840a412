using System.Text;
using static CapacitySim.Reporting.Evidence.ReportText;

namespace CapacitySim.Reporting.Evidence;

/// <summary>
/// Writes one inline SVG drawing: the report's charts are generated here, in C#, so the HTML needs no script, font
/// or image from anywhere. The markup is also well-formed XML.
/// </summary>
internal sealed class Svg
{
    private readonly StringBuilder _builder = new();

    public Svg(double width, double height, string label)
    {
        Width = width;
        Height = height;
        _builder.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ")
            .Append(Coordinate(width)).Append(' ').Append(Coordinate(height))
            .Append("\" width=\"").Append(Coordinate(width)).Append("\" height=\"").Append(Coordinate(height))
            .Append("\" aria-label=\"").Append(Html(label)).Append("\"><title>").Append(Html(label)).Append("</title>");
    }

    public double Width { get; }

    public double Height { get; }

    public Svg Rect(double x, double y, double width, double height, string fill, string? cssClass = null, string? tooltip = null, double radius = 0)
    {
        _builder.Append("<rect x=\"").Append(Coordinate(x)).Append("\" y=\"").Append(Coordinate(y))
            .Append("\" width=\"").Append(Coordinate(Math.Max(0, width))).Append("\" height=\"").Append(Coordinate(Math.Max(0, height)))
            .Append("\" fill=\"").Append(fill).Append('"');
        if (radius > 0)
        {
            _builder.Append(" rx=\"").Append(Coordinate(radius)).Append('"');
        }

        Class(cssClass);
        return Close(tooltip, "rect");
    }

    public Svg Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null, string? cssClass = null, string? data = null)
    {
        _builder.Append("<line x1=\"").Append(Coordinate(x1)).Append("\" y1=\"").Append(Coordinate(y1))
            .Append("\" x2=\"").Append(Coordinate(x2)).Append("\" y2=\"").Append(Coordinate(y2))
            .Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(Coordinate(width)).Append('"');
        if (dash is not null)
        {
            _builder.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        }

        Class(cssClass);
        if (data is not null)
        {
            _builder.Append(' ').Append(data);
        }

        _builder.Append("/>");
        return this;
    }

    public Svg Polyline(IReadOnlyList<(double X, double Y)> points, string stroke, double width = 2, string? dash = null, string? cssClass = null)
    {
        _builder.Append("<polyline fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(Coordinate(width)).Append('"');
        if (dash is not null)
        {
            _builder.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        }

        Class(cssClass);
        _builder.Append(" points=\"");
        for (var i = 0; i < points.Count; i++)
        {
            _builder.Append(i == 0 ? string.Empty : " ").Append(Coordinate(points[i].X)).Append(',').Append(Coordinate(points[i].Y));
        }

        _builder.Append("\"/>");
        return this;
    }

    public Svg Circle(double x, double y, double r, string fill, string? tooltip = null, string? stroke = null)
    {
        _builder.Append("<circle cx=\"").Append(Coordinate(x)).Append("\" cy=\"").Append(Coordinate(y)).Append("\" r=\"").Append(Coordinate(r))
            .Append("\" fill=\"").Append(fill).Append('"');
        if (stroke is not null)
        {
            _builder.Append(" stroke=\"").Append(stroke).Append("\" stroke-width=\"1.5\"");
        }

        return Close(tooltip, "circle");
    }

    /// <summary>Text; <paramref name="anchor"/> is start, middle or end. The content is escaped here.</summary>
    public Svg Text(double x, double y, string? text, string anchor = "start", string? cssClass = null, string? fill = null, double? rotate = null)
    {
        _builder.Append("<text x=\"").Append(Coordinate(x)).Append("\" y=\"").Append(Coordinate(y)).Append("\" text-anchor=\"").Append(anchor).Append('"');
        Class(cssClass);
        if (fill is not null)
        {
            _builder.Append(" fill=\"").Append(fill).Append('"');
        }

        if (rotate is { } degrees)
        {
            _builder.Append(" transform=\"rotate(").Append(Coordinate(degrees)).Append(' ').Append(Coordinate(x)).Append(' ').Append(Coordinate(y)).Append(")\"");
        }

        _builder.Append('>').Append(Html(text)).Append("</text>");
        return this;
    }

    public override string ToString() => _builder.ToString() + "</svg>";

    private void Class(string? cssClass)
    {
        if (cssClass is not null)
        {
            _builder.Append(" class=\"").Append(cssClass).Append('"');
        }
    }

    private Svg Close(string? tooltip, string element)
    {
        if (tooltip is null)
        {
            _builder.Append("/>");
        }
        else
        {
            _builder.Append("><title>").Append(Html(tooltip)).Append("</title></").Append(element).Append('>');
        }

        return this;
    }
}

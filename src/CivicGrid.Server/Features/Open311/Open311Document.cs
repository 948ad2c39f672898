using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;

namespace CivicGrid.Server.Features.Open311;

/// <summary>The two formats of GeoReport v2: XML (required by the specification) and JSON.</summary>
public enum Open311Format
{
    Xml,
    Json,
}

/// <summary>An element with ordered fields: an XML element of child elements, a JSON object.</summary>
public sealed class Open311Object : List<KeyValuePair<string, object?>>
{
    public Open311Object Add(string name, object? value)
    {
        Add(new KeyValuePair<string, object?>(name, value));
        return this;
    }
}

/// <summary>A repeated element: in XML each item is an element named <paramref name="ItemName"/>, in JSON an array.</summary>
public sealed record Open311List(string ItemName, IReadOnlyList<object?> Items);

/// <summary>
/// One GeoReport v2 answer, written from one tree in either format so that the two cannot drift apart: JSON follows the
/// specification's Spark convention (a repeated element becomes an array, the root of a list is the array itself).
/// Times are ISO 8601 with their offset (Beijing time, <c>+08:00</c>); numbers use the invariant culture; text is UTF-8.
/// </summary>
public sealed class Open311Document(int statusCode, string rootName, object body, Open311Format format) : IResult
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public int StatusCode { get; } = statusCode;

    public string? Location { get; init; }

    public static string ContentTypeOf(Open311Format format) =>
        format == Open311Format.Xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";

    /// <summary>The specification's error list: <c>&lt;errors&gt;&lt;error&gt;&lt;code/&gt;&lt;description/&gt;</c>, or a JSON array.</summary>
    /// <param name="status">400, 403 or 404 (the HTTP status).</param>
    /// <param name="code">The code in the body; the status unless a more specific code helps the client.</param>
    public static Open311Document Error(Open311Format format, int status, string description, int? code = null) =>
        Errors(format, status, [(code ?? status, description)]);

    public static Open311Document Errors(Open311Format format, int status, IReadOnlyList<(int Code, string Description)> errors) =>
        new(status, "errors", new Open311List("error", [.. errors.Select(e => new Open311Object().Add("code", e.Code).Add("description", e.Description))]),
            format);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var bytes = Render();
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentTypeOf(format);
        response.ContentLength = bytes.Length;
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }

    /// <summary>The document's bytes in its format.</summary>
    public byte[] Render() => format == Open311Format.Xml ? WriteXml() : WriteJson();

    public byte[] WriteXml()
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            xml.WriteStartDocument();
            WriteXmlElement(xml, rootName, body);
            xml.WriteEndDocument();
        }

        return stream.ToArray();
    }

    public byte[] WriteJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            WriteJsonValue(json, body);
        }

        return stream.ToArray();
    }

    /// <summary>ISO 8601 with the offset, to the second, in Beijing time: <c>2026-11-27T09:30:00+08:00</c>.</summary>
    public static string FormatTime(DateTimeOffset at) =>
        at.ToOffset(Beijing).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static void WriteXmlElement(XmlWriter xml, string name, object? value)
    {
        xml.WriteStartElement(name);
        switch (value)
        {
            case Open311Object fields:
                foreach (var (field, fieldValue) in fields)
                {
                    WriteXmlElement(xml, field, fieldValue);
                }

                break;
            case Open311List list:
                foreach (var item in list.Items)
                {
                    WriteXmlElement(xml, list.ItemName, item);
                }

                break;
            case null:
                break;
            default:
                xml.WriteString(Scalar(value));
                break;
        }

        xml.WriteEndElement();
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case Open311Object fields:
                json.WriteStartObject();
                foreach (var (field, fieldValue) in fields)
                {
                    json.WritePropertyName(field);
                    WriteJsonValue(json, fieldValue);
                }

                json.WriteEndObject();
                break;
            case Open311List list:
                json.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteJsonValue(json, item);
                }

                json.WriteEndArray();
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case double number:
                json.WriteNumberValue(number);
                break;
            default:
                json.WriteStringValue(Scalar(value));
                break;
        }
    }

    private static string Scalar(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        DateTimeOffset at => FormatTime(at),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

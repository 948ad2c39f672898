using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CivicGrid.Domain.Cases;

namespace CivicGrid.Server.Features.Open311;

/// <summary>The <c>Open311</c> section: what the discovery document says about this endpoint.</summary>
public sealed class Open311Options
{
    public const string Section = "Open311";

    /// <summary>How to reach the people running the endpoint (discovery <c>contact</c>).</summary>
    [Required]
    [StringLength(500, MinimumLength = 1)]
    public string Contact { get; set; } = "请联系街道城运中心（Contact the subdistrict operations centre）。";

    /// <summary>How a client gets an API key (discovery <c>key_service</c>).</summary>
    [Required]
    [StringLength(500, MinimumLength = 1)]
    public string KeyService { get; set; } = "API 密钥由系统管理员签发（An administrator issues API keys: apikeys create --name <name>）。";

    /// <summary><c>production</c> or <c>test</c>: whether requests filed here are acted upon.</summary>
    [RegularExpression("^(production|test)$")]
    public string EndpointType { get; set; } = "production";
}

/// <summary>One attribute of a service definition (GeoReport v2 <c>attribute</c>).</summary>
/// <param name="Variable">False for an attribute that only informs the user and takes no input.</param>
/// <param name="Datatype">string, number, datetime, text, singlevaluelist or multivaluelist.</param>
/// <param name="Values">Key and name of each option of a list datatype; empty otherwise.</param>
public sealed record Open311Attribute(string Code, bool Variable, string Datatype, bool Required, int Order, string Description,
    string? DatatypeDescription, IReadOnlyList<(string Key, string Name)> Values);

/// <summary>
/// Our subcategories (小类) as Open311 services: the service code is the category code, the group its major class. Every
/// service has the same input attributes (what intake takes beside the spec's own fields) and one informative attribute
/// with the category's acceptance condition and time limit.
/// </summary>
public static class Open311Services
{
    public const string Title = "TITLE";
    public const string Accuracy = "ACCURACY";
    public const string Compound = "COMPOUND";
    public const string Notice = "NOTICE";

    /// <summary>The datatypes the specification allows.</summary>
    public static readonly IReadOnlySet<string> Datatypes = new HashSet<string>(StringComparer.Ordinal)
        { "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist" };

    public static Open311Object Describe(CaseCategory category)
    {
        ArgumentNullException.ThrowIfNull(category);
        return new Open311Object()
            .Add("service_code", category.Code)
            .Add("service_name", category.Name)
            .Add("description", string.IsNullOrWhiteSpace(category.AcceptanceCondition) ? category.Name : category.AcceptanceCondition)
            .Add("metadata", true)
            .Add("type", "realtime")
            .Add("keywords", $"{category.MajorName}, {category.Name}, {category.MajorCode}")
            .Add("group", category.MajorName);
    }

    public static IReadOnlyList<Open311Attribute> AttributesOf(CaseCategory category)
    {
        ArgumentNullException.ThrowIfNull(category);
        var limit = string.Create(CultureInfo.InvariantCulture, $"{category.TimeLimit}{category.TimeLimitUnit.ToChinese()}");
        var counted = category.CountsNaturalTime ? "昼夜和节假日连续计时" : "按工作日历计算";
        var condition = string.IsNullOrWhiteSpace(category.AcceptanceCondition) ? string.Empty : $"受理条件：{category.AcceptanceCondition}";
        return
        [
            new(Notice, false, "string", false, 1, $"{condition}处置时限：{limit}（{counted}）。", null, []),
            new(Title, true, "string", false, 2, "标题：一句话概括问题（可不填，默认为类别名称）。", "不超过 100 字", []),
            new(Accuracy, true, "number", false, 3, "定位精度：lat/long 的误差半径（米），手机定位时请一并提交，以便在网格边界附近判断归属。", "0–5000 的数字，单位米", []),
            new(Compound, true, "string", false, 4, "院落编码：已知问题所在院落（小区）的 16 位编码时填写，按院落分派网格。", "16 位数字", []),
        ];
    }

    public static Open311Object Definition(CaseCategory category) => new Open311Object()
        .Add("service_code", category.Code)
        .Add("attributes", new Open311List("attribute", [.. AttributesOf(category).Select(Describe)]));

    private static Open311Object Describe(Open311Attribute attribute)
    {
        var described = new Open311Object()
            .Add("variable", attribute.Variable)
            .Add("code", attribute.Code)
            .Add("datatype", attribute.Datatype)
            .Add("required", attribute.Required)
            .Add("datatype_description", attribute.DatatypeDescription)
            .Add("order", attribute.Order)
            .Add("description", attribute.Description);
        if (attribute.Values.Count > 0)
        {
            described.Add("values", new Open311List("value", [.. attribute.Values.Select(v => new Open311Object().Add("key", v.Key).Add("name", v.Name))]));
        }

        return described;
    }
}

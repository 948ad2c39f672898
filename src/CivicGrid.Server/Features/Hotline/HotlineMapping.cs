namespace CivicGrid.Server.Features.Hotline;

/// <summary>
/// A stored, named column mapping for 12345 hotline work-order files: which column of the hotline's sheet holds each
/// field we read, and which of our subcategories each hotline category (诉求类别) becomes. The hotline centre's
/// export changes with its software; an administrator edits the row instead of waiting for a release.
/// </summary>
public sealed class HotlineMapping
{
    /// <summary>The mapping's name, chosen with <c>?mapping=</c>; <see cref="DefaultName"/> is seeded.</summary>
    public const string DefaultName = "default";

    public string Name { get; set; } = DefaultName;

    /// <summary>工单编号: the hotline's own number, unique per source; a re-import of it updates the case.</summary>
    public string OrderNumberColumn { get; set; } = "工单编号";

    public string CalledAtColumn { get; set; } = "来电时间";

    public string CallerNameColumn { get; set; } = "来电人";

    public string PhoneColumn { get; set; } = "联系电话";

    /// <summary>诉求地址: matched to our buildings, compounds and addresses by the router; a row it cannot place is refused.</summary>
    public string AddressColumn { get; set; } = "诉求地址";

    public string ContentColumn { get; set; } = "诉求内容";

    public string CategoryColumn { get; set; } = "诉求类别";

    /// <summary>Hotline category text → our subcategory code (小类), e.g. 路灯不亮 → C0102.</summary>
    public Dictionary<string, string> Categories { get; set; } = [];

    /// <summary>The subcategory for a hotline category not in <see cref="Categories"/>; null: such a row is refused.</summary>
    public string? DefaultCategoryCode { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The seeded mapping for a typical 12345 export sheet.</summary>
    public static HotlineMapping Default() => new()
    {
        Categories = new Dictionary<string, string>
        {
            ["井盖"] = "C0101", ["井盖破损"] = "C0101", ["路灯"] = "C0102", ["路灯不亮"] = "C0102", ["路灯损坏"] = "C0102",
            ["垃圾"] = "E0101", ["暴露垃圾"] = "E0101", ["道路不洁"] = "E0103", ["小广告"] = "E0201", ["施工扰民"] = "E0301",
            ["工地扬尘"] = "E0302", ["占道经营"] = "E0501", ["乱停车"] = "E0503", ["树木倒伏"] = "C0302", ["邻里纠纷"] = "G0101",
            ["物业纠纷"] = "G0301", ["劳资纠纷"] = "G0302", ["消防通道堵塞"] = "G0401",
        },
        UpdatedAt = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero),
    };
}

namespace CivicGrid.Domain.Cases;

/// <summary>
/// The catalogue every new installation starts with: urban-management events (事件: 市容环境,
/// 宣传广告, 施工管理, 突发事件, 街面秩序) and components (部件: 公用设施, 道路交通, 园林绿化) in the
/// GB/T 30428 style, and the brief's grid task families (业务入网: 社会治理, 便民服务, 矛盾化解,
/// 治安巡防), and what sensors report (火灾隐患报警, 积水内涝, 感知设备离线). Limits are for a green case, in working
/// time on the work calendar, except for what cannot wait (突发事件: road collapse, burst main, fire alarm, flooding; a
/// fallen tree; 治安巡防), whose limits count natural hours round the clock. An administrator adapts it to the
/// subdistrict's own rules.
/// </summary>
public static class StandardCatalogue
{
    private sealed record Major(string Code, string Name, string? Department, string Acceptance, string Closing, bool Photo);

    private static readonly Major[] Majors =
    [
        new("E01", "市容环境", "dept-urban", "位于公共区域、影响市容环境卫生，且有照片和位置。", "现场已清理干净，有处置后照片。", true),
        new("E02", "宣传广告", "dept-urban", "公共设施或建筑外立面上的违规张贴、涂写，有照片和位置。", "广告已清除，墙面恢复，有处置后照片。", true),
        new("E03", "施工管理", "dept-urban", "在建工地或施工作业影响周边，有照片、位置和发生时间。", "施工单位已整改（覆盖、降噪、停止违规作业），有核查照片。", true),
        new("E04", "突发事件", "dept-emergency", "正在发生、危及安全或公共设施运行的事件；先处置后补全信息。", "险情已排除、设施恢复运行，有处置后照片和说明。", true),
        new("E05", "街面秩序", "dept-urban", "道路、人行道和出入口被占用或堵塞，有照片和位置。", "占道已清除、通行恢复，有处置后照片。", true),
        new("C01", "公用设施", null, "公用设施部件损坏、缺失或功能异常，有照片和位置。", "部件已修复或更换，功能正常，有处置后照片。", true),
        new("C02", "道路交通", null, "交通设施部件损坏或缺失，有照片和位置。", "设施已修复，有处置后照片。", true),
        new("C03", "园林绿化", "dept-urban", "绿地、树木管护问题，有照片和位置。", "绿地已清理或树木已处置，有处置后照片。", true),
        new("G01", "社会治理", null, "辖区内影响居民共同生活的矛盾或隐患，有明确的当事人或地点。", "隐患已消除或矛盾已化解，当事人确认，有处置记录。", false),
        new("G02", "便民服务", null, "居民的服务需求或咨询，有联系方式。", "已为居民办理或答复，居民确认。", false),
        new("G03", "矛盾化解", "dept-justice", "当事人明确、需要调解的纠纷。", "达成调解协议或已依法引导，有调解记录。", false),
        new("G04", "治安巡防", "dept-police", "影响公共安全的隐患或可疑情况，有位置。", "隐患已消除或已移交公安处置，有处置记录。", true),
    ];

    private static readonly (string Code, string Name, string Major, CaseTier Tier, int Limit, TimeLimitUnit Unit)[] Minors =
    [
        ("E0101", "暴露垃圾", "E01", CaseTier.Green, 4, TimeLimitUnit.WorkingHours),
        ("E0102", "积存垃圾渣土", "E01", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("E0103", "道路不洁", "E01", CaseTier.Green, 4, TimeLimitUnit.WorkingHours),
        ("E0104", "乱堆物堆料", "E01", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("E0201", "违规张贴小广告", "E02", CaseTier.Green, 8, TimeLimitUnit.WorkingHours),
        ("E0202", "非法小广告", "E02", CaseTier.Green, 8, TimeLimitUnit.WorkingHours),
        ("E0301", "施工扰民", "E03", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("E0302", "工地扬尘", "E03", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("E0401", "路面塌陷", "E04", CaseTier.Blue, 24, TimeLimitUnit.NaturalHours),
        ("E0402", "自来水管破裂", "E04", CaseTier.Green, 8, TimeLimitUnit.NaturalHours),
        ("E0403", "火灾隐患报警", "E04", CaseTier.Green, 1, TimeLimitUnit.NaturalHours),
        ("E0404", "积水内涝", "E04", CaseTier.Green, 4, TimeLimitUnit.NaturalHours),
        ("E0501", "占道经营", "E05", CaseTier.Green, 4, TimeLimitUnit.WorkingHours),
        ("E0502", "无照经营游商", "E05", CaseTier.Green, 4, TimeLimitUnit.WorkingHours),
        ("E0503", "机动车乱停放", "E05", CaseTier.Green, 4, TimeLimitUnit.WorkingHours),
        ("C0101", "井盖破损", "C01", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("C0102", "路灯损坏", "C01", CaseTier.Green, 48, TimeLimitUnit.WorkingHours),
        ("C0103", "感知设备离线", "C01", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("C0201", "交通标志损坏", "C02", CaseTier.Green, 48, TimeLimitUnit.WorkingHours),
        ("C0301", "绿地脏乱", "C03", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("C0302", "树木倒伏", "C03", CaseTier.Green, 8, TimeLimitUnit.NaturalHours),
        ("G0101", "邻里纠纷", "G01", CaseTier.Yellow, 10, TimeLimitUnit.WorkingDays),
        ("G0102", "群租房隐患", "G01", CaseTier.Yellow, 10, TimeLimitUnit.WorkingDays),
        // What the reporter cannot name (the phone's “其他 / 说不清” tile): a green case, so the grid's owner staff screen it
        // like any other — accept and handle, transfer, or give it back up — and no report is lost for want of a category.
        ("G0199", "其他问题", "G01", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("G0201", "老人帮扶", "G02", CaseTier.Green, 24, TimeLimitUnit.WorkingHours),
        ("G0202", "证件办理咨询", "G02", CaseTier.Green, 8, TimeLimitUnit.WorkingHours),
        ("G0301", "物业纠纷", "G03", CaseTier.Yellow, 15, TimeLimitUnit.WorkingDays),
        ("G0302", "劳资纠纷", "G03", CaseTier.Yellow, 15, TimeLimitUnit.WorkingDays),
        ("G0401", "消防通道堵塞", "G04", CaseTier.Green, 4, TimeLimitUnit.NaturalHours),
        ("G0402", "可疑人员", "G04", CaseTier.Green, 4, TimeLimitUnit.NaturalHours),
    ];

    /// <summary>
    /// Kinds whose case tells about the people where it is: disputes between neighbours, tenants or with an employer or the
    /// property company, crowded rentals, elder care and suspicious persons. Not suggested to the public as duplicates.
    /// </summary>
    public static readonly IReadOnlySet<string> SensitiveCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "G0101", "G0102", "G0201", "G0301", "G0302", "G0402",
    };

    /// <summary>Kinds only staff and devices report: a sensor gone offline is not something a resident sees.</summary>
    public static readonly IReadOnlySet<string> StaffOnlyCodes = new HashSet<string>(StringComparer.Ordinal) { "C0103" };

    /// <summary>A fresh copy of the standard categories (new instances each call, ready to store).</summary>
    public static IReadOnlyList<CaseCategory> Categories()
    {
        var majors = Majors.ToDictionary(m => m.Code, StringComparer.Ordinal);
        return [.. Minors.Select(m =>
        {
            var major = majors[m.Major];
            var category = new CaseCategory(m.Code, m.Name, major.Code, major.Name, m.Tier, m.Limit, m.Unit);
            category.Revise(m.Name, major.Code, major.Name, m.Tier, m.Limit, m.Unit, major.Department, major.Acceptance, major.Closing, major.Photo);
            category.MarkSensitive(SensitiveCodes.Contains(m.Code));
            category.MarkStaffOnly(StaffOnlyCodes.Contains(m.Code));
            return category;
        })];
    }
}

using CivicGrid.Domain.Cases;

namespace CivicGrid.Server.Demo;

/// <summary>
/// One demo case category with what the generator needs beyond the domain type.
/// </summary>
/// <param name="Weight">Relative frequency among reported cases (garbage, parking and vending are common).</param>
/// <param name="AtHome">True when the matter is inside a home or between people, so it is placed at a building.</param>
/// <param name="Description">A sentence with <c>{0}</c> for the place.</param>
internal sealed record DemoCategory(
    string Code, string Name, string MajorCode, string MajorName, CaseTier DefaultTier, int HandlingHours,
    double Weight, bool AtHome, string Description)
{
    /// <summary>The standard category of the same code (the demo only adds weights and sample texts).</summary>
    public CaseCategory ToDomain() => StandardCatalogue.Categories().Single(c => c.Code == Code);
}

/// <summary>The demo case catalogue in the GB/T 30428 style (E events, C components, G grid tasks).</summary>
internal static class DemoCatalogue
{
    public static readonly DemoCategory[] Categories =
    [
        new("E0101", "暴露垃圾", "E01", "市容环境", CaseTier.Green, 4, 12, false, "{0}垃圾桶满溢，垃圾散落地面未及时清运，气味较大。"),
        new("E0102", "积存垃圾渣土", "E01", "市容环境", CaseTier.Green, 24, 5, false, "{0}堆积建筑垃圾和渣土，长期无人清运。"),
        new("E0103", "道路不洁", "E01", "市容环境", CaseTier.Green, 4, 5, false, "{0}路面油污、落叶较多，未按时清扫保洁。"),
        new("E0104", "乱堆物堆料", "E01", "市容环境", CaseTier.Green, 24, 6, false, "{0}楼道及公共区域堆放杂物，影响通行。"),
        new("E0201", "违规张贴小广告", "E02", "宣传广告", CaseTier.Green, 8, 5, false, "{0}墙面、电线杆上张贴大量小广告。"),
        new("E0202", "非法小广告", "E02", "宣传广告", CaseTier.Green, 8, 2, false, "{0}喷涂办证、贷款类非法小广告。"),
        new("E0301", "施工扰民", "E03", "施工管理", CaseTier.Green, 24, 2, false, "{0}夜间施工噪音较大，影响周边居民休息。"),
        new("E0302", "工地扬尘", "E03", "施工管理", CaseTier.Green, 24, 2, false, "{0}工地裸土未覆盖，车辆进出扬尘严重。"),
        new("E0401", "路面塌陷", "E04", "突发事件", CaseTier.Blue, 24, 0.3, false, "{0}路面出现塌陷坑，存在安全隐患，已设置临时警示。"),
        new("E0402", "自来水管破裂", "E04", "突发事件", CaseTier.Green, 8, 1, false, "{0}自来水管破裂，路面大量积水。"),
        new("E0501", "占道经营", "E05", "街面秩序", CaseTier.Green, 4, 9, false, "{0}商户出店经营，货物摆放占用人行道。"),
        new("E0502", "无照经营游商", "E05", "街面秩序", CaseTier.Green, 4, 6, false, "{0}有流动摊贩聚集售卖，影响交通和环境。"),
        new("E0503", "机动车乱停放", "E05", "街面秩序", CaseTier.Green, 4, 10, false, "{0}机动车随意停放，堵塞出入口。"),
        new("C0101", "井盖破损", "C01", "公用设施", CaseTier.Green, 24, 2, false, "{0}井盖破损松动，行人车辆经过有危险。"),
        new("C0102", "路灯损坏", "C01", "公用设施", CaseTier.Green, 48, 3, false, "{0}路灯不亮已有数日，夜间出行不便。"),
        new("C0201", "交通标志损坏", "C02", "道路交通", CaseTier.Green, 48, 1, false, "{0}交通标志牌倾斜损坏。"),
        new("C0301", "绿地脏乱", "C03", "园林绿化", CaseTier.Green, 24, 3, false, "{0}绿地内垃圾较多，缺乏管护。"),
        new("C0302", "树木倒伏", "C03", "园林绿化", CaseTier.Green, 8, 0.8, false, "{0}大风后树木倒伏，压住道路。"),
        new("G0101", "邻里纠纷", "G01", "社会治理", CaseTier.Yellow, 72, 3, true, "{0}住户因漏水问题与楼下邻居发生纠纷，请求调解。"),
        new("G0102", "群租房隐患", "G01", "社会治理", CaseTier.Yellow, 72, 1.5, true, "{0}疑似群租房，人员进出频繁，存在消防隐患。"),
        new("G0201", "老人帮扶", "G02", "便民服务", CaseTier.Green, 24, 3, true, "{0}独居老人行动不便，需要上门帮扶。"),
        new("G0202", "证件办理咨询", "G02", "便民服务", CaseTier.Green, 8, 2, true, "{0}居民咨询居住证、社保卡办理事宜。"),
        new("G0301", "物业纠纷", "G03", "矛盾化解", CaseTier.Yellow, 120, 2.5, true, "{0}居民对物业收费和服务不满，双方存在矛盾。"),
        new("G0302", "劳资纠纷", "G03", "矛盾化解", CaseTier.Yellow, 120, 0.8, false, "{0}务工人员反映被拖欠工资。"),
        new("G0401", "消防通道堵塞", "G04", "治安巡防", CaseTier.Green, 4, 4, false, "{0}消防通道被车辆和杂物堵塞。"),
        new("G0402", "可疑人员", "G04", "治安巡防", CaseTier.Green, 4, 0.8, false, "{0}发现可疑人员多次徘徊，请求核查。"),
    ];
}

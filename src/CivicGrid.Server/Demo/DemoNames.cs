using CivicGrid.Domain.Organisations;

namespace CivicGrid.Server.Demo;

/// <summary>A demo community: its name and the streets its compounds take their addresses from.</summary>
internal sealed record DemoCommunityName(string Name, string[] Streets);

/// <summary>
/// Chinese names for the demo subdistrict. Streets are real streets of Xi'an's old city south-east of
/// the Bell Tower so that addresses read naturally on the base map; communities, compounds, companies
/// and people are invented.
/// </summary>
internal static class DemoNames
{
    public const string District = "碑林区";
    public const string Subdistrict = "示范街道";
    public const string NeighbourSubdistrict = "东关南街道";

    /// <summary>Main subdistrict's communities in code order (north row west→east, then south row), then the neighbour's.</summary>
    public static readonly DemoCommunityName[] Communities =
    [
        new("长乐坊社区", ["长乐路", "东新街", "端履门"]),
        new("东仓门社区", ["东仓门", "柏树林", "下马陵"]),
        new("兴庆路社区", ["兴庆路", "兴庆南路", "咸宁西路"]),
        new("建东街社区", ["建东街", "东关正街", "炮房街"]),
        new("和平门社区", ["和平路", "南新街", "东木头市"]),
        new("互助路社区", ["互助路", "友谊东路", "南关正街"]),
        new("咸宁西路社区", ["咸宁西路", "建设西路", "东关南街"]),
        new("八仙庵社区", ["八仙庵街", "长乐中路", "索罗巷"]),
        new("景龙池社区", ["景龙池", "鸡市拐", "东关南街"]),
        new("乐居场社区", ["乐居场", "龙渠堡", "东关正街"]),
        new("鸡市拐社区", ["鸡市拐", "东新巷", "建西街"]),
        new("龙渠堡社区", ["龙渠堡", "更新街", "东关南街"]),
    ];

    /// <summary>East–west streets, north to south, one for every other lattice line; the lines between are lanes named after them.</summary>
    private static readonly string[] EastWestStreets =
    [
        "东大街", "东新街", "东厅门", "东仓门", "柏树林路", "端履门街", "长乐路", "下马陵路", "和平路", "东木头市", "南新街", "兴庆路", "咸宁西路",
    ];

    /// <summary>North–south streets, west to east, one for every other lattice line.</summary>
    private static readonly string[] NorthSouthStreets =
    [
        "和平门路", "尚俭路", "尚勤路", "端履门", "柏树林", "开通巷", "东县门", "马厂子", "大差市", "八仙庵街", "金花南路", "兴庆西路", "炮房街",
        "更新街", "景龙池", "东关正街", "鸡市拐", "乐居场", "龙渠堡", "索罗巷", "建西街", "东关南街", "长乐中路", "互助路", "友谊东路",
    ];

    /// <summary>The name of east–west lattice line <paramref name="row"/> (0 in the north): a street, or the lane south of one.</summary>
    public static string EastWestStreet(int row) => row % 2 == 0 ? EastWestStreets[row / 2 % EastWestStreets.Length] : $"{EastWestStreets[row / 2 % EastWestStreets.Length]}南巷";

    /// <summary>The name of north–south lattice line <paramref name="column"/> (0 in the west): a street, or the lane east of one.</summary>
    public static string NorthSouthStreet(int column) =>
        column % 2 == 0 ? NorthSouthStreets[column / 2 % NorthSouthStreets.Length] : $"{NorthSouthStreets[column / 2 % NorthSouthStreets.Length]}东巷";

    public static readonly string[] ChineseNumerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    /// <summary>Work units whose staff housing became today's family compounds (家属院).</summary>
    public static readonly string[] WorkUnits =
    [
        "西安仪表厂", "陕西省建三公司", "西北光电仪器厂", "铁路分局", "市电力公司", "秦川机床厂", "省粮食局",
        "市第八中学", "交大二附院", "省邮电管理局", "陕西重型机械厂", "市自来水公司", "省地质局",
        "西北有色金属研究院", "市公交五公司", "省农业厅", "西安电缆厂", "市煤气公司", "陕西纺织机械厂", "省水利厅",
    ];

    /// <summary>Names of newer estates (小区).</summary>
    public static readonly string[] Estates =
    [
        "兴庆苑", "长乐花园", "东方佳苑", "金色家园", "和平新村", "东关新村", "咸宁小区", "建东小区", "柏树林小区",
        "万和苑", "锦绣园", "紫薇苑", "安居小区", "幸福里", "华清园", "东城花园", "雅荷苑", "丰泽园", "龙渠苑", "嘉禾园",
    ];

    public static readonly (string Code, string Name)[] PropertyCompanies =
    [
        ("prop-01", "西安长安物业服务有限公司"),
        ("prop-02", "陕西古城物业管理有限公司"),
        ("prop-03", "西安兴庆物业服务有限公司"),
        ("prop-04", "西安嘉和物业管理有限公司"),
        ("prop-05", "陕西安居乐物业服务有限公司"),
        ("prop-06", "西安碑林红色物业服务中心"),
    ];

    /// <summary>Departments that send liaisons down (下沉), with the user name prefix of their liaison.</summary>
    public static readonly (string Code, string Name, string UserPrefix)[] Departments =
    [
        ("dept-police", "碑林分局示范街道派出所", "police"),
        ("dept-emergency", "示范街道应急管理办公室", "emergency"),
        ("dept-justice", "示范街道司法所", "justice"),
        ("dept-urban", "碑林区城市管理执法局示范街道中队", "urban"),
        ("dept-market", "碑林区市场监管局示范街道市场监管所", "market"),
        ("dept-fire", "碑林区消防救援大队示范街道消防站", "fire"),
        ("dept-housing", "碑林区住房和城乡建设局示范街道工作站", "housing"),
    ];

    /// <summary>District departments (区级部门) and which of the subdistrict's stations (<see cref="Departments"/>) they lead.</summary>
    public static readonly (string Code, string Name, string[] Stations)[] DistrictDepartments =
    [
        ("dept-d-politics", "中共碑林区委政法委员会", []),
        ("dept-d-police", "西安市公安局碑林分局", ["dept-police"]),
        ("dept-d-emergency", "碑林区应急管理局", ["dept-emergency"]),
        ("dept-d-justice", "碑林区司法局", ["dept-justice"]),
        ("dept-d-urban", "碑林区城市管理和综合执法局", ["dept-urban"]),
        ("dept-d-market", "碑林区市场监督管理局", ["dept-market"]),
        ("dept-d-fire", "碑林区消防救援大队", ["dept-fire"]),
        ("dept-d-housing", "碑林区住房和城乡建设局", ["dept-housing"]),
    ];

    /// <summary>The subdistrict's own offices (街道科室), with the district department guiding them where there is one.</summary>
    public static readonly (string Code, string Name, string? Parent)[] SubdistrictOffices =
    [
        ("dept-office", "示范街道党政办公室", null),
        ("dept-safety", "示范街道平安建设办公室（综治中心）", "dept-d-politics"),
        ("dept-social", "示范街道社会事务办公室", null),
    ];

    /// <summary>Property companies led by party building (红色物业).</summary>
    public static readonly string[] RedPropertyCompanies = ["prop-03", "prop-06"];

    /// <summary>Public units (驻街单位) and business alliances (商圈联盟), with the dedicated grid they sit in, if any.</summary>
    public static readonly (string Code, string Name, OrganisationKind Kind, string? DedicatedGrid)[] UnitsAndAlliances =
    [
        ("unit-hospital", "西安市东仓门医院", OrganisationKind.PublicUnit, "东仓门医院专属网格"),
        ("unit-school", "碑林区兴庆路小学", OrganisationKind.PublicUnit, "兴庆路小学专属网格"),
        ("unit-tower", "长乐国际大厦物业管理处", OrganisationKind.PublicUnit, "长乐国际大厦专属网格"),
        ("unit-bank", "中国工商银行西安长乐路支行", OrganisationKind.PublicUnit, null),
        ("unit-health", "示范街道社区卫生服务中心", OrganisationKind.PublicUnit, null),
        ("unit-power", "国网西安供电公司碑林供电服务中心", OrganisationKind.PublicUnit, null),
        ("ally-market", "建东街农贸市场商户联盟", OrganisationKind.Alliance, "建东街农贸市场专属网格"),
        ("ally-business", "互助路商务中心商圈联盟", OrganisationKind.Alliance, "互助路商务中心专属网格"),
        ("ally-changle", "长乐路商圈联盟", OrganisationKind.Alliance, null),
    ];

    /// <summary>Dedicated grids (专属网格) of the main subdistrict, one per community from the first.</summary>
    public static readonly string[] DedicatedGrids =
    [
        "长乐国际大厦专属网格", "东仓门医院专属网格", "兴庆路小学专属网格",
        "建东街农贸市场专属网格", "和平门安置房建筑工地专属网格", "互助路商务中心专属网格",
    ];

    public static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "田", "董", "袁", "潘", "于", "蒋", "蔡", "杜",
        "程", "苏", "魏", "吕", "丁", "任", "姚", "卢", "姜", "崔", "贾", "白", "孟", "秦", "薛", "闫", "雷", "侯", "史", "武",
    ];

    public static readonly string[] GivenNames =
    [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚",
        "秀英", "桂英", "建华", "建国", "志强", "淑珍", "红梅", "玉兰", "海燕", "晓东", "文博", "子涵", "浩然", "欣怡",
        "秀兰", "建军", "小红", "亚楠", "永刚", "春燕", "国强", "丽娟", "宏伟", "雪梅", "振华", "佳琪", "思远", "卫东",
    ];

    /// <summary>Mobile number prefixes of the three Chinese carriers.</summary>
    public static readonly string[] MobilePrefixes =
    [
        "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
        "158", "159", "176", "177", "180", "181", "185", "186", "187", "188", "189",
    ];

    public static string Person(Random random) =>
        Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];

    public static string Mobile(Random random) =>
        MobilePrefixes[random.Next(MobilePrefixes.Length)] + random.Next(0, 100_000_000).ToString("D8");
}

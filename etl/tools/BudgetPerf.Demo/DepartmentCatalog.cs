namespace BudgetPerf.Etl.Demo;

/// <summary>One kind of 预算部门 found in a Chinese county, with the sector its projects come from.</summary>
/// <param name="Code">Three-digit 部门编码 within the county.</param>
/// <param name="Weight">Relative number of projects the department runs.</param>
/// <param name="Optional">Not every county has it.</param>
/// <param name="Units">Subordinate 实施单位 besides the department itself.</param>
internal sealed record DepartmentSpec(string Code, string Name, string Sector, int Weight, bool Optional, string[] Units);

/// <summary>The departments, towns and place names a demo county is built from.</summary>
internal static class DepartmentCatalog
{
    public static readonly DepartmentSpec[] Agencies =
    [
        new("101", "人大常委会办公室", "综合", 5, false, []),
        new("102", "政协办公室", "综合", 4, false, []),
        new("103", "县委办公室", "综合", 5, false, []),
        new("104", "人民政府办公室", "综合", 7, false, ["金融服务中心"]),
        new("105", "纪委监委", "政法", 4, false, []),
        new("106", "县委组织部", "综合", 6, false, ["老干部服务中心"]),
        new("107", "县委宣传部", "文化", 5, false, ["新时代文明实践中心"]),
        new("108", "县委统战部", "综合", 3, false, []),
        new("109", "县委政法委员会", "政法", 4, false, ["社会治安综合治理中心"]),
        new("110", "县委党校", "综合", 3, true, []),
        new("111", "机关事务服务中心", "综合", 4, false, []),
        new("112", "档案馆", "综合", 2, true, []),
        new("113", "信访局", "综合", 2, true, []),
        new("114", "政务服务和数据管理局", "综合", 5, false, ["政务服务中心"]),
        new("115", "融媒体中心", "文化", 4, false, []),
        new("201", "公安局", "政法", 10, false, ["交通警察大队", "看守所"]),
        new("202", "人民法院", "政法", 5, false, []),
        new("203", "人民检察院", "政法", 4, false, []),
        new("204", "司法局", "政法", 4, false, ["公共法律服务中心"]),
        new("301", "发展和改革局", "综合", 6, false, ["粮食和物资储备中心"]),
        new("302", "财政局", "综合", 7, false, ["国库支付中心", "预算绩效评价中心"]),
        new("303", "审计局", "综合", 2, false, []),
        new("304", "统计局", "综合", 2, false, []),
        new("305", "商务局", "综合", 3, false, []),
        new("306", "科学技术和工业信息化局", "综合", 4, false, []),
        new("307", "市场监督管理局", "综合", 5, false, ["检验检测中心"]),
        new("308", "自然资源局", "自然资源", 10, false, ["不动产登记中心", "土地整理储备中心"]),
        new("309", "生态环境分局", "生态环境", 7, false, ["环境监测站"]),
        new("310", "住房和城乡建设局", "住建", 14, false, ["建设工程质量安全监督站", "城市建设服务中心"]),
        new("311", "城市管理综合行政执法局", "住建", 6, false, ["环境卫生服务中心"]),
        new("312", "交通运输局", "交通", 16, false, ["农村公路管理所", "运输服务中心"]),
        new("313", "水利局", "水利", 18, false, ["水利工程建设管理站", "防汛抗旱服务中心", "水利工程运行管理中心"]),
        new("314", "农牧局", "农业", 24, false, ["农机服务中心", "动物疫病预防控制中心", "农产品质量安全检验检测站"]),
        new("315", "林业和草原局", "林草", 10, false, ["国有林场", "森林病虫害防治检疫站"]),
        new("316", "乡村振兴局", "农业", 12, false, []),
        new("317", "应急管理局", "应急", 6, false, ["应急救援指挥中心"]),
        new("318", "消防救援大队", "应急", 3, true, []),
        new("319", "医疗保障局", "卫生", 4, false, ["医疗保障服务中心"]),
        new("320", "气象局", "综合", 2, true, []),
        new("321", "供销合作社", "农业", 2, true, []),
        new("401", "教育局", "教育", 30, false, ["学生资助管理中心", "教研室", "教育技术装备中心"]),
        new("402", "卫生健康委员会", "卫生", 22, false, ["卫生健康综合监督执法局", "中心血站"]),
        new("403", "民政局", "民政", 14, false, ["社会福利院", "殡仪服务中心", "救助管理站"]),
        new("404", "人力资源和社会保障局", "人社", 10, false, ["就业服务中心", "社会保险事业管理中心"]),
        new("405", "文化和旅游局", "文化", 10, false, ["文化馆", "文物管理所"]),
        new("406", "体育运动中心", "文化", 3, true, []),
        new("407", "退役军人事务局", "民政", 4, false, ["退役军人服务中心"]),
        new("408", "疾病预防控制中心", "卫生", 5, false, []),
        new("409", "人民医院", "卫生", 8, false, []),
        new("410", "中医医院", "卫生", 5, false, []),
        new("411", "妇幼保健院", "卫生", 3, false, []),
        new("412", "第一中学", "教育", 4, false, []),
        new("413", "职业技术学校", "教育", 4, false, []),
        new("414", "特殊教育学校", "教育", 2, true, []),
        new("415", "图书馆", "文化", 2, true, []),
        new("416", "农业技术推广中心", "农业", 5, false, []),
        new("417", "畜牧兽医工作站", "农业", 4, false, []),
        new("418", "水土保持工作站", "水利", 3, true, []),
        new("419", "公路养护段", "交通", 5, false, []),
        new("501", "总工会", "综合", 3, false, []),
        new("502", "共青团县委", "综合", 2, false, []),
        new("503", "妇女联合会", "民政", 2, false, []),
        new("504", "残疾人联合会", "民政", 4, false, ["残疾人康复中心"]),
        new("505", "科学技术协会", "综合", 2, false, []),
        new("506", "工商业联合会", "综合", 1, true, []),
        new("507", "红十字会", "卫生", 2, true, []),
        new("508", "文学艺术界联合会", "文化", 1, true, []),
    ];

    /// <summary>Project weight of one 乡镇人民政府 / 街道办事处.</summary>
    public const int TownWeight = 7;

    public static readonly string[] Towns =
    [
        "城关镇", "东关镇", "西河镇", "南山镇", "北岭镇", "新庄镇", "石门乡", "柳河乡", "桃园乡", "白水镇",
        "黄土坡乡", "青石镇", "红星乡", "马营镇", "大河乡", "三岔镇", "清泉乡", "杨家庄乡", "李家堡镇", "高桥镇",
    ];

    public static readonly string[] Villages =
    [
        "东沟村", "西湾村", "王家庄村", "刘家沟村", "前进村", "团结村", "和平村", "新民村", "张家湾村", "李家岔村",
        "赵家庄村", "红旗村", "上坪村", "下坪村", "石头河村", "杨树湾村", "马家营村", "白杨村", "柳树沟村", "黄家坪村",
        "北沟村", "南沟村", "槐树庄村", "郭家寨村", "陈家河村", "胜利村", "光明村", "新华村", "五一村", "双河村",
        "枣林村", "杏花村", "石桥村", "老庄村", "三合村", "丰收村", "永安村", "太平村", "长青村", "金星村",
        "孙家坡村", "周家湾村", "吴家沟村", "冯家堡村", "何家庄村",
    ];

    public static readonly string[] Schools =
    [
        "第二中学", "第三中学", "实验中学", "实验小学", "城关第一小学", "城关第二小学", "东关中学", "西河小学",
        "南山九年制学校", "新庄镇中心小学", "石门乡中心学校", "柳河乡中心小学", "第一幼儿园", "第二幼儿园", "桃园乡中学",
        "白水镇寄宿制学校",
    ];

    /// <summary>Syllables for the names of a province's counties.</summary>
    public static readonly string[] CountyHeads =
        ["安", "平", "清", "永", "兴", "宁", "丰", "昌", "临", "新", "长", "康", "泰", "和", "阳", "武", "定", "通", "靖", "华", "德", "保", "建", "嘉"];

    public static readonly string[] CountyTails =
        ["远", "川", "河", "山", "源", "城", "丰", "乐", "西", "宁", "江", "水", "平", "安", "阳", "州", "化", "德", "边", "台"];

    public static readonly string[] CityNames =
        ["金川市", "青原市", "白河市", "云阳市", "东岭市", "南屏市", "北安市", "西林市", "石城市", "玉泉市"];
}

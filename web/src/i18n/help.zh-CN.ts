// The console's profile and help pages (操作指南), per role.
export default {
  help: {
    title: '操作指南', intro: '下面是与您的角色有关的日常操作。按步骤做，遇到问题请拨打支持电话。',
    yourRoles: '您的角色：{roles}', support: '技术支持', call: '拨打 {phone}', noPhone: '请联系所在街道的系统管理员。',
    hours: '服务时间：{hours}', print: '打印本页', faq: '常见问题', open: '去办理',
    roles: {
      'community-staff': {
        title: '社区工作人员', steps: [
          ['受理新上报', '在「待受理」中逐件查看：位置不对的转到正确网格，重复的合并，能办的受理。', '/queues/to-accept'],
          ['按时限办理', '「即将到期」和「已超期」按办理时限排序，红色表示已超期；先办最急的。', '/queues/due-soon'],
          ['电话和来访登记', '居民来电或上门时在「电话/来访登记」录入，系统会把跟踪链接发到居民手机。', '/entry'],
          ['召集联席会议', '网格解决不了的黄色案件，在「联席会议」约请相关部门和物业。', '/meetings'],
          ['管理志愿者', '为微网格志愿者开账户、生成扫码登录二维码，不必告诉他们密码。', '/volunteers'],
        ],
      },
      'subdistrict-operator': {
        title: '街道城运中心（值班）', steps: [
          ['接班', '在「值班值守」接受上一班的交接，看清未结的紧急事项。', '/duty'],
          ['处置告警', '红色案件和紧急报警会弹窗并响铃；在规定时间内点「确认」，否则自动升级给带班领导。', '/duty'],
          ['督办超期', '「已超期」中的案件可以督办，被督办的案件在承办人处置顶。', '/queues/overdue'],
          ['应急广播', '在「应急广播」圈选区域或网格，向户外音柱、网格员手机和居民发出通知。', '/broadcasts'],
          ['看全局', '「统计分析」和大屏（/screen/）按网格、类别、渠道和部门显示数量与按时率。', '/statistics'],
        ],
      },
      'department-liaison': {
        title: '部门联络员', steps: [
          ['接收派单', '「我的待办」是派给本部门的案件，按办理时限排序。', '/queues/mine'],
          ['办理与反馈', '打开案件，按页面最上方的主按钮办理，填写结果并上传处置后照片。', '/queues/mine'],
          ['不属本部门', '点「退回」并选择理由，案件回到派单人，不会丢失。', '/queues/mine'],
          ['参加联席会议', '在「联席会议」查看邀请和会议纪要。', '/meetings'],
        ],
      },
      'district-viewer': {
        title: '区级查看', steps: [
          ['看统计', '「统计分析」按街道、社区、类别和部门显示数量、办结率和按时率，可导出 Excel 月报。', '/statistics'],
          ['区级移交', '「区级移交」列出街道上报到区的红色案件及其推送和答复情况。', '/district'],
          ['考核结果', '「五星评定」查看各网格的星级和每项得分的来源。', '/assessment'],
        ],
      },
      'grid-leader': {
        title: '网格长', steps: [
          ['巡查', '在手机上开始巡查，系统记录轨迹和步数；发现问题随手拍。', '/patrols'],
          ['队伍', '「网格员队伍」查看本网格人员、培训和工作证。', '/roster'],
          ['星级', '「五星评定」查看本网格得分，有异议可以申诉。', '/assessment'],
        ],
      },
      'system-admin': {
        title: '系统管理员', steps: [
          ['组织机构', '维护部门、物业公司、业委会和共建单位。', '/organisations'],
          ['网格导入', '上传网格边界文件（GeoJSON、Shapefile），预览后导入。', '/grids/import'],
          ['案件类别', '维护类别、办理时限（工作时间或自然时间）和对应部门。', '/categories'],
        ],
      },
      'security-admin': {
        title: '安全管理员', steps: [
          ['账户', '创建和停用账户、重置密码、解除锁定；管理员角色须另一位管理员批准。', '/users'],
        ],
      },
      'audit-admin': {
        title: '审计管理员', steps: [
          ['安全审计日志', '查看登录、权限变更和数据导出记录，可按时间和账户筛选。', '/security-events'],
        ],
      },
    } as Record<string, { title: string; steps: [string, string, string][] }>,
    faqs: [
      ['忘记密码怎么办？', '请安全管理员重置，重置后第一次登录须改成自己的新密码。'],
      ['手机丢了，两步验证怎么登录？', '用保存的恢复码登录，然后在「账号安全」重新设置。'],
      ['为什么看不到某个案件？', '每个人只能看到自己管辖范围内的案件；跨范围的请联系上级。'],
      ['页面太小看不清？', '按 Ctrl 和 + 放大页面，所有页面都支持放大。'],
    ] as [string, string][],
  },
  profile: {
    title: '个人中心', account: '账号', name: '姓名', roles: '角色', scope: '管辖范围', wholeSystem: '全系统',
    security: '安全', password: '修改密码', twoFactor: '两步验证与登录设备', messages: '消息', notifications: '我的消息',
    help: '帮助', guide: '操作指南', logout: '退出登录',
    logoutConfirm: '确定退出登录吗？未保存的内容会丢失。', logoutTitle: '退出登录', cancel: '取消',
    sound: '紧急告警提示音', soundOn: '开', soundOff: '关', soundHint: '红色案件和设备报警时响铃（浏览器须先在本页点击过一次）。',
  },
};

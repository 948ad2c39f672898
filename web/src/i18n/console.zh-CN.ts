// The staff console's messages (console*, map), merged into the shared i18n by the console's entry only, so the
// phone pages do not download them.
import type { CaseChannel } from '@/shared/contract';
import type { CaseVerb } from '@/shared/workflow';
export default {
  console: {
    title: '工作台', welcome: '欢迎，{name}', scope: '管辖范围', inbox: '待办', cases: '案件', soon: '更多功能即将上线',
    menu: {
      account: '账号安全', volunteerSignIn: '志愿者扫码登录',
      home: '工作台', queues: '待办队列', search: '案件查询', map: '网格地图', entry: '电话/来访登记', meetings: '联席会议', devices: '感知设备', hotline: '12345 工单', district: '区级移交', users: '账户管理', approvals: '管理员角色审批', securityEvents: '安全审计日志', password: '修改密码', volunteerAccounts: '志愿者账户', organisations: '组织机构', briefings: '政策宣传', gridImport: '网格导入', households: '住户与走访', roster: '网格员队伍', training: '培训与工作证', patrols: '巡查与覆盖', assessment: '五星评定', assessmentCatalogue: '考核指标体系', gridAffairs: '三张清单与认领',
    },
    box: {
      'to-accept': '待受理', 'to-confirm': '待确认位置', 'due-soon': '即将到期', overdue: '已超期', supervised: '督办件', mine: '我的待办',
      'grid-open': '本级在办',
    } as Record<string, string>,
    col: {
      number: '编号', title: '标题', tier: '颜色', status: '状态', grid: '网格', reportedAt: '上报时间（北京）', dueAt: '办理时限',
      overdue: '超期', candidates: '候选网格', share: '占比', category: '类别', distance: '距离', actions: '操作', channel: '渠道',
    },
    claim: '认领到 {grid}', claimed: '已认领，案件归 {grid} 办理', best: '最可能',
    empty: '暂无案件', refresh: '刷新', open: '查看',
  },
  consoleSearch: {
    title: '案件查询', text: '编号、标题或描述', status: '状态', tier: '颜色', category: '类别编码（E01 / E0101）', grid: '网格编码',
    channel: '渠道', period: '上报日期', from: '开始', to: '结束', sort: '排序', newest: '最新上报', due: '最早到期',
    search: '查询', reset: '重置', export: '导出 Excel', total: '共 {n} 件',
  },
  consoleCase: {
    back: '返回', basics: '基本信息', category: '类别', grid: '所属网格', channel: '渠道', reportedAt: '上报时间', reporter: '报告人',
    phone: '电话', reveal: '查看完整信息', revealReason: '查看原因（将记录在审计日志）', revealed: '完整信息（已记录审计）',
    assignee: '承办', dueAt: '办理时限', overdue: '已超期', supervision: '督办', supervisionDue: '督办时限', parkedUntil: '挂账复查日期',
    mergedInto: '已合并到', rating: '评价', description: '问题描述', map: '位置', photos: '照片', noPhotos: '没有照片',
    timeline: '处理经过', chainIntact: '留痕校验通过', chainBroken: '留痕校验失败：记录可能被改动', duplicates: '附近可能重复的案件',
    mediations: '联调记录', decisions: '联席会议决定', actions: '可执行操作', noActions: '您现在没有可执行的操作',
    conflict: '案件刚被他人更新，已重新加载，请核对后再操作', done: '已完成：{action}', version: '版本',

  },
  consoleAction: {
    accept: '立案', reject: '不予立案', assign: '交办', 'start-handling': '开始处置', 'record-handled': '反馈结果', verify: '核查', evaluate: '评价',
    close: '办结', return: '退回', transfer: '转办', escalate: '升级', park: '挂账', resume: '恢复办理', reopen: '返工', merge: '合并',
    'record-mediation': '联调记录', 'record-meeting-decision': '联席会议决定', supervise: '督办', 'hand-to-district': '上报区级',
  } satisfies Record<CaseVerb, string> as Record<string, string>,
  consoleForm: {
    photos: '处置后照片（最多 9 张）',
    toPerson: '交给个人', toDepartment: '交给职能部门', department: '职能部门',
    reason: '原因', assignee: '承办人', assigneeHint: '选择本网格及上级的人员', due: '办理时限（不填按类别时限计算）', note: '说明',
    passed: '核查通过', rating: '评分', comment: '评价意见', toGrid: '转到网格', teach: '以后同一楼栋/院落/地址的上报都转到这个网格',
    reviewOn: '复查日期', into: '合并到案件', participants: '参加人员（回车添加）', heldOn: '时间', place: '地点', outcome: '结果',
    superviseDue: '督办时限', summary: '情况摘要', confirmText: '确定要“{action}”吗？',
    required: '请填写：{what}', submit: '提交', cancel: '取消',
  },
  consoleMeeting: {
    title: '联席会议记录', agenda: '待研究的蓝色案件', none: '没有待研究的蓝色案件', meetingTitle: '会议名称', heldAt: '会议时间',
    place: '地点', participants: '参会人员（回车添加）', summary: '会议纪要', decision: '决定', decisionHint: '对本案的决定（留空则不列入本次会议）',
    save: '保存会议记录', saved: '会议记录已保存，{n} 件案件已记录决定', past: '历次会议', cases: '研究案件',
  },
  consoleEntry: {
    title: '电话/来访登记', callerName: '来电人姓名', phone: '联系电话', place: '地址（院落、楼栋或门牌）', placeHint: '输入院落名、楼号或地址搜索',
    picked: '已选：{address}', category: '问题类别', description: '问题描述', duplicates: '附近已有同类案件（可告知来电人）',
    noDuplicates: '附近没有同类在办案件', submit: '登记（Enter）', submitting: '正在登记…', done: '已登记，案件编号', another: '再登记一件',
    missing: '请补全：{what}', receiver: '受理：{name}',
  },
  consoleChannel: {
    'resident-app': '居民随手拍', 'grid-patrol': '网格员上报', 'property-staff': '物业上报', 'staff-entry': '工作人员录入', sensor: '智能感知',
    hotline12345: '12345热线', open311: 'Open311',
  } satisfies Record<CaseChannel, string> as Record<string, string>,
  map: {
    title: '网格地图', tree: '网格', points: '案件点 {n} 个', openCases: '在办案件', validation: '网格校验问题', validationCount: '{n} 处问题',
    loading: '正在加载地图数据…', onlyOpen: '只看在办', legend: '颜色越深，在办案件越多',
  },
  assessment: {
    title: '五星评定',
    isProvisional: '暂定', isPublished: '已公布',
    provisional: '按平台记录为网格计算的暂定得分：每项指标都能查到背后的记录。尚未接入数据来源的指标不计分，含这类指标的网格暂不评定星级；居民议事会评议、审议和公布之后才是正式结果。',
    month: '{year}年{month}月', quarter: '{year}年第{quarter}季度', year: '{year}年度',
    levels: { 'grid-2': '二级网格', 'grid-3': '三级网格', micro: '微网格' },
    rank: '排名', grid: '网格', stars: '星级', score: '得分', missing: '待接入指标', missingCount: '{n} 项未接入',
    notRated: '暂不评定', empty: '本期没有可评定的网格', scoreIs: '得分 {score}（满分 100）',
    missingExplained: '有 {n} 项指标的数据来源尚未接入，不计分也不占权重，本网格暂不评定星级：',
    indicator: '指标', value: '数值', fraction: '分子 / 分母', target: '目标', points: '得分 / 权重', note: '说明',
    met: '达标', notMet: '未达标', clickForEvidence: '点击一项指标，查看计入它的每一条记录。',
    evidenceOf: '分子：{numerator}；分母：{denominator}。', noRecords: '本期没有计入这项指标的记录',
    case: '案件编号', counted: '计入分子', yes: '是', no: '否',
    charts: {
      distribution: '星级分布', trend: '近期走势', gridsCount: '网格数', notRated: '暂不评定', starN: '{n} 星',
      average: '参评网格平均分', highShare: '四星及以上占比（%）', selected: '{name} 得分', loading: '正在计算各期得分…',
    },
  },
  assessmentRuns: {
    run: '考核批次', none: '本期本层级尚未保存考核批次；街道城运中心计算后即可进入评议。', compute: '计算并保存', recompute: '重新计算',
    status: '状态', catalogueVersion: '指标体系第 {v} 版', computedAt: '计算于 {at}', asOf: '数据截至 {at}', digest: '输入摘要',
    subjects: '{n} 个考核对象', periodOpen: '考核期未结束（暂定）', open: '打开评议页',
    statuses: {
      provisional: '暂定', 'council-open': '议事会评议中', 'council-closed': '议事会评议已结束', 'community-reviewed': '社区已审议',
      'subdistrict-approved': '街道已审议', published: '已公布',
    },
    actionNames: {
      compute: '计算', 'open-council': '开启议事会评议', 'close-council': '结束议事会评议', 'record-review': '登记审议会议', adjust: '调整指标',
      'approve-community': '社区审议通过', 'approve-subdistrict': '街道审议通过', publish: '公布',
    },
    buttons: {
      compute: '重新计算', 'open-council': '开启议事会评议', 'close-council': '结束议事会评议', 'record-review': '登记审议会议', approve: '审议通过',
      publish: '公布结果', verify: '核验',
    },
    confirmPublish: '公布后结果冻结，只能通过申诉更正。确定公布？', done: '已完成：{what}',
    verify: {
      title: '核验结果', same: '一致', changed: '有变化', stored: '保存时摘要', current: '现在摘要', subject: '考核对象', indicator: '指标',
      record: '记录', kind: '变化', before: '保存时', after: '现在', value: '（指标数值）',
      kinds: { added: '新增', removed: '移除', changed: '改变' },
    },
    page: {
      title: '考核审议（双议）', back: '返回五星评定', nextStep: '下一步', communities: '参评社区', approved: '已审议通过', waiting: '待审议',
      history: '全过程记录', by: '操作人', at: '时间', note: '说明', reviews: '审议会议', noReviews: '尚未召开审议会议',
      stages: { community: '社区审议', subdistrict: '街道审议' }, adjustments: '调整事项', noAdjustments: '没有调整',
      results: '保存的考核结果', grid: '网格', stars: '星级', score: '得分', notRated: '暂不评定',
    },
    form: {
      title: '登记审议会议', meetingTitle: '会议名称', heldAt: '会议时间', place: '会议地点', participants: '参会人员', participantsHint: '输入姓名后回车，可添加多人',
      summary: '会议纪要', adjustments: '调整指标（可选）', addAdjustment: '添加一项调整', subject: '考核对象', indicator: '指标',
      numerator: '调整后的分子（或数值）', denominator: '分母', reason: '调整理由', remove: '删除', submit: '登记会议', cancel: '取消',
      before: '原值 {value}', scoreChange: '得分 {before} → {after}', required: '请填写会议名称、时间、地点和参会人员。',
    },
  },
  assessmentCatalogue: {
    title: '考核指标体系', back: '返回五星评定', versions: '版本', version: '第 {v} 版', effectiveFrom: '生效考核期', inForce: '现行',
    createdBy: '调整人', createdAt: '调整时间', changes: '调整内容', note: '说明', seed: '初始版本', view: '查看',
    indicators: '指标', code: '编码', name: '名称', group: '星', weight: '权重', target: '目标值', zeroAt: '零分值', unit: '单位',
    groups: { governance: '社会治理星', service: '便民服务星', mediation: '矛盾化解星', patrol: '治安巡防星', team: '队伍建设星' },
    thresholds: '星级分数线（二星/三星/四星/五星）', council: '议事会评议：法定人数 {q} 人，去掉最高、最低各 {p}%',
    newVersion: '新建版本', newHint: '新版本以最新版本为基础，只能从所有已公布考核期之后生效；只改动需要调整的数值。',
    effectiveFromHint: '如 2027-01、2027-Q1 或 2027', save: '保存新版本', saved: '已保存第 {v} 版', cancel: '取消', noChanges: '尚未改动任何数值',
  },
  patrols: {
    open: '巡查详情', patrolN: '第 {n} 次',
    period: { today: '今天', week: '本周', month: '本月', range: '选择日期' },
    trackDay: '轨迹日期', legend: { notWalked: '无人走过', walked: '有人走过，颜色越深停留越久（{from}–{to} 分钟以上）', track: '巡查轨迹（点击查看）' },
    detail: {
      title: '巡查详情', back: '返回', failed: '无法读取这次巡查', workerGrid: '所属网格', started: '开始时间', ended: '结束时间', status: '状态',
      statuses: { open: '巡查中', closed: '已结束' }, endedBySystem: '忘记结束，次日由系统在最后一个位置点结束', walked: '步行距离', vehicle: '乘车距离（不计入）', km: '{km} 公里', minutes: '用时 {n} 分钟',
      fromPhone: '手机计步', estimated: '按距离估算', points: '位置点', pointCount: '{n} 个（{dropped} 个精度差未计入）', track: '轨迹',
      kinds: { walked: '步行', vehicle: '乘车', jump: 'GPS 跳点', gap: '信号中断' }, noTrack: '这次巡查还没有轨迹',
      grids: '各网格停留', noGrids: '没有走过的网格', cases: '巡查中上报的问题', noCases: '巡查中没有上报问题', caseNumber: '案件编号', caseTitle: '问题',
      reportedAt: '上报时间',
    },
    title: '巡查与覆盖', from: '开始日期', to: '结束日期', level: '网格层级', micro: '微网格', third: '三级网格', refresh: '查询',
    coverage: '覆盖情况', share: '已走过 {walked} / {total} 个网格（{percent}%）', goal: '每周覆盖目标 {percent}%', goalMet: '达标', goalMissed: '未达标',
    notWalked: '无人走过的网格', allWalked: '期间内所有网格都有人走过', grid: '网格', code: '编码', minutes: '停留（分钟）', meters: '距离（米）',
    patrolCount: '巡查次数', workerCount: '人数', days: '网格员每日巡查', worker: '网格员', day: '日期', distance: '步行距离（米）', steps: '步数',
    goalColumn: '万步达标', gridsWalked: '走过网格', export: '导出 Excel', yes: '是', no: '否', empty: '期间内没有巡查记录',
    mapLayer: '巡查轨迹', mapCoverage: '覆盖情况', tracks: '轨迹 {n} 条',
  },
};

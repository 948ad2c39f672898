// Messages of the statistics page (/statistics), merged when its chunk loads.
export default {
  statistics: {
    title: '统计分析', scope: '统计范围', period: '统计期间', pickScope: '选择网格', customRange: '选择起止月份', startMonth: '开始月份', endMonth: '结束月份',
    periods: { 'this-month': '本月', 'last-month': '上月', 'this-quarter': '本季度', 'this-year': '今年', 'last-12': '近 12 个月', custom: '自定义' },
    tooLong: '一次最多统计 {n} 个月，已从结束月份往前取 {n} 个月。',
    heading: '{scope} · {period}', asOf: '数据截至 {time}',
    inPeriod: '{period}', now: '此刻',
    reported: '上报', closed: '办结', closureRate: '办结率', closureRateHint: '期间上报的案件中已办结的比例', onTimeRate: '按时办结率',
    onTimeRateHint: '期间办结且有办理时限的案件中按时办结的比例', open: '在办', overdue: '超期', supervised: '督办', parked: '挂账',
    trendDaily: '每日上报与办结', trendMonthly: '每月上报与办结', byChannel: '上报渠道', byCategory: '事件类别（前 {n} 类）', byDepartment: '职能部门按时办结率',
    solvedAt: '在哪一级解决（共办结 {n} 件）', other: '其他',
    solvedTiers: { green: '网格（绿）', yellow: '社区（黄）', blue: '街道（蓝）', red: '区级（红）' },
    col: {
      day: '日期', month: '月份', reported: '上报（件）', closed: '办结（件）', channel: '渠道', share: '占比', category: '事件类别', nowClosed: '其中已办结（件）',
      closureRate: '办结率', onTimeRate: '按时办结率', department: '职能部门', withDeadline: '有时限的办结（件）', onTime: '按时办结（件）', tier: '解决层级',
    },
    noCases: '{scope}在{period}没有上报或办结的案件。可以换一个统计期间或网格再看。',
    noChart: '该期间暂无数据', noDepartments: '该期间没有职能部门办结的案件',
    loadFailed: '统计数据暂时无法读取，请稍后重试。', retry: '重试',
    range: {
      month: '{y1}年{m1}月', monthsInYear: '{y1}年{m1}月至{m2}月', months: '{y1}年{m1}月至{y2}年{m2}月', day: '{y1}年{m1}月{d1}日',
      daysInMonth: '{y1}年{m1}月{d1}日至{d2}日', daysInYear: '{y1}年{m1}月{d1}日至{m2}月{d2}日', days: '{y1}年{m1}月{d1}日至{y2}年{m2}月{d2}日',
    },
    exportReport: '导出月报', reportMonth: '月报月份', exportCases: '导出案件明细', exportHint: '导出的文件为 Excel 工作簿，范围与当前选择一致。',
  },
};

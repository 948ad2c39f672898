// Messages of the policy briefings (console page and phone pages) and of the console's grid import page, merged when one
// of those pages' chunks loads (shared/briefingMessages.ts), so neither app's first page carries them.
import type { BriefingRecipientKind as Kind } from '@/shared/contract';

export default {
  briefingKinds: {
    'grid-worker': '网格员', 'micro-grid-worker': '微网格员', 'grid-leader': '网格长', 'department-liaison': '下沉人员',
    'community-staff': '社区工作人员', 'property-staff': '物业人员',
  } satisfies Record<Kind, string> as Record<string, string>,
  consoleBriefing: {
    title: '政策宣传', compose: '发布通知', sent: '已发送', read: '已读', confirmed: '已确认', outstanding: '未读', rate: '阅读率',
    sender: '发布人', sentAt: '发布时间', dueAt: '阅读截止', noDue: '不限', confirmation: '需确认', yes: '是', no: '否', empty: '还没有发布过通知',
    titleLabel: '标题', body: '正文', bodyHint: '纯文本，或简单 Markdown：# 标题、- 列表、**加粗**', attachment: '附件链接', attachmentHint: '选填：http(s) 网址或本站路径，如 /files/通知.pdf',
    requiresConfirmation: '要求点“我已阅读”确认', due: '阅读截止时间', audience: '接收范围', grids: '按网格', gridsHint: '选择网格（含其下全部网格）',
    kinds: '按人员类别', organisations: '按单位', organisationsHint: '部门或物业公司', audienceHint: '各条件同时满足；同一条件内多选为“或”。不选网格即为本人管辖范围。',
    count: '将发送给 {n} 人', countNone: '请选择接收范围', countSample: '如：{names}', send: '发送', sentDone: '已发送给 {n} 人',
    detail: '通知详情', receipts: '阅读回执', unreadByGrid: '未读人员（按网格）', remind: '提醒未读', reminded: '已提醒 {n} 人',
    remindRepeated: '{time} 刚提醒过，未重复发送', lastReminded: '上次提醒：{time}', allRead: '全部已读', name: '姓名', grid: '网格', kind: '类别',
    openedAt: '首次阅读', confirmedAt: '确认时间', reminders: '提醒次数', notYet: '未读', audienceSummary: '接收范围', attachmentOpen: '打开附件',
  },
  consoleGridImport: {
    title: '网格导入', file: '网格文件', fileHint: 'GeoJSON 或压缩的 Shapefile（.zip），字段 code、name、level、parentCode', crs: '坐标系',
    dryRun: '只检查，不导入', submit: '导入', checking: '正在检查…', accepted: '导入完成', dryRunPassed: '检查通过，可以导入', refused: '导入被拒绝，数据未作任何改动',
    counts: '网格 新建 {created}、重绘 {redrawn}、未变 {unchanged}；院落 新建 {compounds}；楼栋 新建 {buildings}', normalisations: '编码转换',
    problems: '问题', severity: '级别', kind: '类型', feature: '要素', code: '编码', message: '说明', error: '错误', warning: '警告', chooseFile: '请先选择文件',
  },
  briefing: {
    title: '通知', empty: '还没有通知', unread: '{n} 条未读', from: '{name} 发布', due: '请于 {time} 前阅读', confirm: '我已阅读',
    confirmed: '您已于 {time} 确认阅读', opened: '已读', mustConfirm: '需确认', attachment: '查看附件', back: '返回通知列表', open: '查看通知',
  },
};

// Messages of the console's case work (lists, detail, work order, hand-offs, devices), merged on first use of a case
// page (console/cases/caseMessages.ts).
export default {
  consoleCases: {
    col: { grid: '网格', deadline: '时限', assignee: '承办', category: '类别' },
    deadlineKinds: { accept: '受理', handle: '办理', supervision: '督办', review: '复查' } as Record<string, string>,
    overdueBy: '已超 {d}', left: '剩 {d}', days: '{n}天', hours: '{n}小时', minutes: '{n}分钟',
    legend: '颜色说明', tiers: {
      green: { name: '绿', owner: '网格', text: '网格长在本网格处置' },
      yellow: { name: '黄', owner: '社区', text: '社区联调，需记录联调' },
      blue: { name: '蓝', owner: '街道', text: '街道城运中心协调，联席会议研究' },
      red: { name: '红', owner: '区级', text: '上报区级部门，跟踪移交与答复' },
    } as Record<string, { name: string; owner: string; text: string }>,
    all: '查看全部（{n}）', openHint: '点击整行或按 Enter 打开案件', total: '共 {n} 件',
    pageSize: '每页条数', jump: '跳至页',
    sortByDeadline: '按时限排序', sortNewest: '按上报时间排序',
    next: '下一件', nextNone: '本队列已无下一件', nextOf: '下一件（{queue}）', more: '更多操作', primary: '下一步',
    print: '打印工单', log: '办理日志', actor: '经办人', systemActor: '系统',
    deadline: '时限', acceptBy: '受理时限', handleBy: '办理时限', reviewBy: '复查日期', supervisionBy: '督办时限', noDeadline: '—',
    assigneeNone: '尚未交办', deadlineNone: '本阶段无时限',
    steps: {
      accept: '核实后立案，或说明理由不予立案', assign: '交给承办人或职能部门，设定办理时限', 'start-handling': '到场后开始处置',
      'record-handled': '处置完毕后拍照反馈结果', verify: '核查处置结果', close: '评价后办结案件', resume: '恢复办理挂账案件',
      'hand-to-district': '红色案件需上报区级部门', 'record-mediation': '黄色案件办结前需记录联调', evaluate: '请报告人评价',
    } as Record<string, string>,
    order: {
      title: '案件工单', number: '案件编号', category: '事件类别', tier: '颜色', status: '状态', place: '位置', address: '地址',
      grid: '所属网格', reported: '上报时间', channel: '渠道', reporter: '报告人', description: '问题描述', photos: '现场照片',
      deadline: '时限', assignee: '承办', log: '办理日志', printedAt: '打印时间 {at}', printedBy: '打印人 {name}', back: '返回案件',
      print: '打印', signature: '承办人签字：', date: '日期：', noPhotos: '无照片',
    },
    upload: { add: '添加照片', hint: '最多 {n} 张，JPG/PNG/WebP，点击缩略图预览', remove: '删除', tooMany: '最多 {n} 张照片', file: '选择文件', fileHint: '点击或拖拽文件到此处' },
    pickCategory: '选择类别（大类或小类）', pickGrid: '选择网格',
    transferTo: '转到网格（按名称选择）',
  },
  consoleDistrictWords: { waiting: '等待推送', retrying: '推送失败·待重试', stopped: '已停止重试', offline: '线下移交', state: '推送情况', reason: '原因', when: '时间', result: '结果' },
  consoleOpsText: {
    delivery: {
      sent: '已送达区级系统', pendingFirst: '等待推送', retrying: '推送失败，系统将于 {at} 自动重试', gaveUp: '推送失败，已停止自动重试。请点“立即重试”，或电话联系区级平台值班人员。',
      none: '未配置区级系统接口，请线下移交', attemptFailed: '推送失败', attemptOk: '送达', details: '技术详情（供系统管理员排查）',
      reason: { timeout: '区级系统未在规定时间内响应', unreachable: '无法连接区级系统（网络中断或系统停机）', refused: '区级系统拒收（{status}）', server: '区级系统内部错误（{status}）', other: '推送未成功' },
    },
    device: { never: '从未上报', online: '在线', offline: '离线', silentFor: '已 {d} 无心跳' },
  },
};

// Messages of the emergency broadcast pages (console /broadcasts, phone /m/broadcasts), merged when one of them loads.
import type { BroadcastTargetKind, DeliveryState } from '@/shared/contract';
export default {
  broadcast: {
    gridsSelect: '或按名称选择网格',
    title: '应急广播', compose: '发布广播', log: '广播记录', none: '暂无广播记录', refresh: '刷新', autoRefresh: '有未确认的接收方，每 3 秒自动刷新',
    modeGrids: '点选网格', modeArea: '圈选区域', gridsHint: '在地图上点击网格选中或取消（已选 {n} 个）', areaHint: '在地图上依次点击多边形的顶点（已点 {n} 个，至少 3 个）',
    clearArea: '清除重画', clearGrids: '清空所选', text: '广播内容', textHint: '音柱将用语音合成播报，最多 {max} 字', repeat: '播放次数', urgent: '紧急（打断正在播放的内容）',
    preview: '预览接收范围', previewTitle: '接收范围', previewCounts: '{speakers} 台音柱、{workers} 名网格员将收到', retired: '{n} 台已停用音柱不会收到：{names}',
    speakers: '音柱', workers: '网格员', grids: '网格', send: '发送广播', confirmTitle: '确认发送应急广播',
    confirmText: '将向 {speakers} 台音柱和 {workers} 名网格员发送以下内容，发送后不能撤回：', sent: '广播已发出，可在下方记录中查看接收情况',
    pickFirst: '请先点选网格或圈选区域', textFirst: '请填写广播内容', tooLong: '超过 {max} 字，音柱无法播报',
    sender: '发布人', sentAt: '发布时间', content: '内容', area: '范围', receivers: '接收情况', acknowledged: '已确认', failed: '失败', waiting: '待确认',
    detail: '广播详情', target: '接收方', kind: '类型', grid: '所在网格', state: '状态', attempts: '发送次数', stateAt: '时间', error: '说明',
    ackAt: '确认 {at}', sentAtShort: '发送 {at}', failedAt: '失败 {at}', repeatTimes: '播放 {n} 次', urgentTag: '紧急', drawnArea: '圈选区域',
    kinds: { speaker: '音柱', worker: '网格员' } satisfies Record<BroadcastTargetKind, string> as Record<string, string>,
    states: { pending: '待发送', sent: '已发送', acknowledged: '已确认', failed: '失败' } satisfies Record<DeliveryState, string> as Record<string, string>,
    mine: { title: '应急广播', empty: '暂无应急广播', ack: '收到', acked: '已确认 {at}', from: '{name} 发布', done: '已确认收到', outstanding: '{n} 条待确认' },
  },
};

// Messages of the devices, 12345 hotline and district hand-off pages, merged when one of those pages' chunks loads
// (console/opsMessages.ts), so the console's first page does not carry them.
import type { Delivery, DeviceKind, ReferralStatus } from '@/shared/contract';
export default {
  consoleDevice: {
    title: '感知设备', alarmTypes: '报警类型', kind: '设备类型', state: '状态', count: '共 {n} 台', register: '登记设备', code: '设备编号',
    codeHint: '字母、数字、“-”或“_”，如 SMK-0001', name: '名称/安装位置', nameHint: '如 3 号楼 2 单元楼道烟感', model: '品牌型号', owner: '维护单位',
    position: '位置（经度, 纬度）', lon: '经度', lat: '纬度', pickHint: '输入 WGS-84 经纬度，或在下方地图上点选', lastHeartbeat: '最后心跳',
    registeredAt: '登记时间', never: '从未收到', retirement: '停用记录', cases: '设备引发的案件', noCases: '暂无案件',
    replaceSecret: '重新签发密钥', retire: '停用设备', retireTitle: '停用设备 {code}', retireReason: '停用原因（必填，如：已拆除、已更换）',
    retireWarning: '停用后该设备的报警和心跳将被拒绝，也不再产生离线案件；设备保留在台账中并注明停用人、时间和原因。此操作不可撤销。',
    retiredDone: '设备 {code} 已停用', secretTitle: '设备 {code} 的签名密钥', copy: '复制密钥', copied: '已复制到剪贴板', copyFailed: '无法自动复制，请手动选中复制',
    secretWarning: '密钥只显示这一次，关闭后无法再次查看。请立即复制并写入设备；如遗失只能重新签发（旧密钥随即失效）。', secretStored: '我已保存密钥',
    kinds: { 'smoke-detector': '烟感探测器', 'water-level-sensor': '水位传感器', 'manhole-cover-sensor': '井盖传感器', camera: '视频监控', speaker: '室外音柱', other: '其他' } satisfies Record<DeviceKind, string> as Record<string, string>,
    states: { online: '在线', offline: '离线', never: '从未上报', retired: '已停用' } as Record<string, string>,
    alarmHint: '设备上报的 type 对应的事件小类', addAlarmType: '新增报警类型', editAlarmType: '修改报警类型 {code}', alarmCode: '类型编码',
    alarmName: '名称', categoryInactive: '小类已停用', updatedAt: '修改时间', edit: '修改', save: '保存', alarmSaved: '报警类型 {code} 已保存',
  },
  consoleHotline: {
    import: '导入 12345 工单', file: '工单文件（.xlsx / .csv）', mapping: '字段对照表', mode: '导入方式', allOrNothing: '全部正确才导入（默认）',
    goodRows: '只导入正确的行', upload: '上传并导入', noFile: '请先选择工单文件',
    summary: '共 {rows} 行：新建 {created}，更新 {updated}，未变 {unchanged}，有误 {failed}', stored: '已保存', notStored: '未导入任何工单',
    row: '行号', orderNumber: '工单编号', outcome: '结果', error: '错误', outcomes: { created: '新建', updated: '更新', unchanged: '未变', failed: '有误' } as Record<string, string>,
    export: '导出办理情况（回传热线）', exportXlsx: '导出 Excel', exportCsv: '导出 CSV（UTF-8）', exportGb18030: '导出 CSV（GB18030）',
    exportHint: '按上报日期（北京时间）导出本辖区 12345 工单的状态与答复；旧版热线系统（Windows）请选 GB18030。',
    mappings: '字段对照表', mappingName: '名称', columnsLabel: '列名', categoryTable: '类别对照', entries: '项', addMapping: '新增对照表',
    editMapping: '修改对照表 {name}', hotlineCategory: '热线类别', ourCategory: '小类编码', addPair: '添加一项', fallback: '兜底小类',
    mappingSaved: '对照表 {name} 已保存',
    columns: {
      orderNumberColumn: '工单编号列', calledAtColumn: '来电时间列', callerNameColumn: '来电人列', phoneColumn: '联系电话列', addressColumn: '诉求地址列',
      contentColumn: '诉求内容列', categoryColumn: '诉求类别列',
    } as Record<string, string>,
  },
  consoleDistrict: {
    title: '区级移交', all: '全部', none: '暂无移交记录', summary: '情况摘要', handedAt: '移交时间', referralStatus: '移交状态', delivery: '推送',
    attempts: '尝试次数', next: '下次重试', error: '错误', retryNow: '立即重试', retried: '已安排立即重新推送', deliveryLog: '区级推送记录',
    nextAttempt: '下次重试 {at}', retryRequested: '{by} 于 {at} 要求立即重试', noWebhook: '未配置区级接口，由区级用户在本平台接收',
    noAttempts: '尚未推送', attempt: '次序', attemptedAt: '时间', httpStatus: 'HTTP 状态', result: '结果', ok: '成功', failed: '失败', duration: '耗时',
    deliveries: { none: '未配置接口', pending: '推送中', sent: '已送达', failed: '已放弃', held: '暂缓发送', refused: '按规则未发送' } satisfies Record<Delivery, string> as Record<string, string>,
    status: { pending: '待接收', delivered: '已送达', accepted: '已受理', replied: '已答复', closed: '已办结' } satisfies Record<ReferralStatus, string> as Record<string, string>,
  },
};

// Messages of the household register and door-knocking pages (console /households, phone /m/visit), merged when one of
// their chunks loads (shared/householdMessages.ts).
import type { CareKind, NeedKind, Occupancy, VisitOutcome } from '@/shared/contract';
export default {
  households: {
    occupancy: { 'owner-occupied': '自住', rented: '出租', vacant: '空置' } satisfies Record<Occupancy, string> as Record<string, string>,
    care: {
      'living-alone-elderly': '独居老人', disabled: '残疾人', 'low-income': '低保户', destitute: '特困供养', 'left-behind-child': '留守儿童',
      'seriously-ill': '重病患者',
    } satisfies Record<CareKind, string> as Record<string, string>,
    outcomes: { visited: '已走访', 'nobody-home': '无人在家', refused: '拒绝入户' } satisfies Record<VisitOutcome, string> as Record<string, string>,
    needs: {
      'elderly-care': '养老服务', health: '医疗健康', repair: '维修服务', legal: '法律服务', assistance: '困难帮扶', companionship: '关爱陪伴', other: '其他需求',
    } satisfies Record<NeedKind, string> as Record<string, string>,
    register: {
      title: '住户登记', tabRegister: '住户', tabVisits: '走访记录', tabWeek: '本周敲门', building: '楼栋', buildingCode: '楼栋编码', compound: '小区',
      unit: '单元', room: '房号', occupancyLabel: '居住状态', careLabel: '关爱类别', residents: '居民', search: '姓名或电话（完整）', all: '全部',
      count: '共 {n} 户', name: '姓名', idNumber: '身份证号', phone: '电话', age: '年龄', reveal: '查看完整信息', revealTitle: '查看居民完整信息',
      reason: '查看理由（必填，记入安全审计）', revealHint: '完整信息仅在本窗口显示一次，关闭后不再保留。', confirm: '确定', cancel: '取消',
      import: 'Excel 导入', template: '下载导入模板', export: '导出 Excel（脱敏）', partial: '只导入正确的行', upload: '上传并导入', noFile: '请先选择文件',
      summary: '共 {rows} 行：新建住户 {created}，更新住户 {updated}，新增居民 {added}，有误 {failed} 行', notStored: '未导入任何住户',
      row: '行号', column: '列', message: '问题', roomsOnly: '您只能按房间查看住户（不显示姓名）。', noIdNumbers: '您的角色不显示身份证号。',
      add: '登记住户', basis: '认定依据',
    },
    visits: {
      visitor: '走访人', time: '时间', outcome: '结果', distance: '距楼栋', far: '位置偏远', findings: '发现', notes: '备注', caseLink: '已转案件 {n}',
      from: '起', to: '止', weekOf: '{start} 至 {end}', minimum: '每周最低 {n} 户', behindCount: '{n} 人未完成', role: '身份', department: '单位',
      done: '本周走访', counted: '计入', behind: '未完成', ok: '已完成', notApplicable: '—', meters: '{n} 米',
    },
    phone: {
      title: '叮咚敲门', myWeek: '本周已敲门 {n} 户', minimum: '每周至少 {n} 户', behind: '本周还没有完成', done: '本周已完成', pickBuilding: '第一步：选楼栋',
      pickUnit: '第二步：选单元', pickRoom: '第三步：选房间', outcome: '第四步：敲门结果', unitN: '{n} 单元', findings: '发现了什么（可多选）',
      problem: '发现问题，转为案件', problemKinds: '问题类别', problemText: '问题说明', note: '备注（可不填）', submit: '保存走访记录', saved: '已保存走访记录',
      caseFiled: '问题已转为案件 {n}', again: '再敲一户', back: '返回', noBuildings: '您的范围内还没有登记住户，请联系社区。', households: '{n} 户',
      vacant: '空置', locating: '正在获取位置…', noPosition: '未获取到位置，照常保存', pickOutcome: '请先选择敲门结果', photo: '拍一张现场照片（可不拍）', photoSaved: '照片已保存',
    },
  },
};

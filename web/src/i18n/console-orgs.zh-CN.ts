// Messages of the organisations page, merged when its chunk loads (console/organisations/messages.ts).
import type { OrganisationKind } from '@/shared/contract';
export default {
  consoleOrg: {
    title: '组织机构', add: '新增组织', edit: '修改', kind: '类型', name: '名称', code: '编码', codeHint: '可不填，系统自动生成；也可填统一社会信用代码',
    scope: '服务范围', scopeHint: '在网格树中选择（可输入名称查找）', parent: '上级部门', noParent: '无（顶级部门）', phone: '联系电话', phoneHint: '如 029-87654321',
    redProperty: '红色物业', compounds: '服务的院落', compoundsHint: '选择该物业服务的院落（可输入名称查找）', compound: '所属院落',
    state: '状态', active: '在用', retired: '已停用', retiredAt: '停用于 {at}', includeRetired: '显示已停用', search: '名称或编码', count: '共 {n} 个',
    none: '暂无', save: '保存', cancel: '取消', saved: '已保存“{name}”', created: '已新增“{name}”',
    retire: '停用', reinstate: '恢复', retireConfirm: '停用“{name}”后，它不再出现在派单和新建账号的选择中；已有案件仍显示其名称。确定停用吗？',
    reinstateConfirm: '恢复“{name}”，使其重新可用于派单和新建账号？', retiredDone: '“{name}”已停用', reinstatedDone: '“{name}”已恢复',
    liaisons: '下沉人员', liaisonsOf: '{name} · 下沉人员', noLiaisons: '该部门暂无下沉人员（账号由安全管理员创建并关联部门）', liaison: '姓名',
    currentGrids: '当前下沉网格', history: '历史', setGrids: '设置下沉网格', gridsOf: '{name} 的下沉网格', grids: '三级网格', gridsHint: '只能选择三级网格或专属网格',
    from: '生效日期', fromHint: '不在列表中的网格于前一天结束', since: '{from} 起', until: '{from} 至 {to}', accountInactive: '账号已停用', dedicated: '{name}（专属网格）',
    kinds: {
      department: '部门', 'property-company': '物业公司', 'owners-committee': '业主委员会', 'public-unit': '驻街单位', alliance: '商圈联盟',
    } satisfies Record<OrganisationKind, string> as Record<string, string>,
  },
};

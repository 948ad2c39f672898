// 三张清单（需求、资源、项目）、认领与楼院议事会：控制台与手机页共用。
import type { Schemas } from '@/api/client';

export default {
  affairs: {
    tabs: { needs: '需求清单', resources: '资源清单', projects: '项目清单', claims: '认领', councils: '楼院议事会' },
    serviceKind: {
      'elderly-care': '助老服务', 'child-care': '助幼服务', health: '健康义诊', repair: '维修帮办', environment: '环境整治', legal: '法律服务',
      companionship: '陪伴关怀', employment: '就业帮扶', 'property-care': '物业托管', assistance: '困难帮扶', other: '其他需求',
    } satisfies Record<Schemas['ServiceKind'], string>,
    urgency: { low: '一般', normal: '较急', urgent: '紧急' } satisfies Record<Schemas['NeedUrgency'], string>,
    needStatus: { open: '待对接', matched: '已对接', met: '已满足', closed: '已关闭' } satisfies Record<Schemas['NeedStatus'], string>,
    source: { visit: '入户走访', case: '事件', council: '楼院议事会', staff: '工作人员登记' } satisfies Record<Schemas['NeedSource'], string>,
    resourceKind: { volunteer: '志愿者', 'party-member': '双报到党员', 'public-unit': '驻街单位', 'property-company': '物业公司' } satisfies Record<Schemas['ResourceKind'], string>,
    projectKind: { 'public-service': '公益服务', governance: '治理项目' } satisfies Record<Schemas['ProjectKind'], string>,
    projectStatus: { planned: '筹备中', running: '实施中', completed: '已完成', cancelled: '已取消' } satisfies Record<Schemas['ProjectStatus'], string>,
    claimerKind: { 'red-property-company': '红色物业', 'public-unit': '驻街单位', 'party-member': '双报到党员' } satisfies Record<Schemas['ClaimerKind'], string>,
    claimTarget: { compound: '无主楼院', need: '群众需求', 'case-category': '网格事务', 'project-task': '项目任务' } satisfies Record<Schemas['ClaimTarget'], string>,
    councilRole: { resident: '居民', 'courtyard-head': '楼院长', property: '物业', 'owners-committee': '业委会', staff: '工作人员' } satisfies Record<Schemas['CouncilRole'], string>,
    followUpKind: { note: '仅记录', need: '转为需求', case: '转为事件' } satisfies Record<Schemas['FollowUpKind'], string>,
    col: {
      raisedAt: '登记时间', place: '位置', requester: '需求人', phone: '联系电话', kind: '类别', urgency: '紧急程度', description: '内容', source: '来源', status: '状态',
      resource: '对接资源', project: '满足项目', name: '名称', offers: '可提供服务', availability: '服务时间', grid: '网格', matched: '已对接需求', goal: '目标',
      grids: '植入网格', partners: '合作方', dates: '起止日期', participants: '参与人数', beneficiaries: '受益人数', needsMet: '满足需求', compound: '楼院',
      claimer: '认领方', period: '认领期限', commitments: '承诺事项', fulfilments: '履约记录', heldOn: '议事日期', topics: '议题', decisions: '议定事项',
      followUps: '后续事项', distance: '距离', address: '地址', currentClaim: '当前认领', recordedBy: '记录人',
    },
    all: '全部', export: '导出 Excel', add: '登记', save: '保存', cancel: '取消', saved: '已保存', detail: '详情', none: '无',
    needs: {
      add: '登记需求', matches: '推荐资源', match: '对接', meet: '标记已满足', close: '关闭', reopen: '重新打开', outcome: '满足情况', reason: '关闭原因',
      byProject: '由项目满足（可不选）', noMatches: '暂无提供这类服务的资源', metres: '{n} 米', sameCommunity: '本社区', claims: '认领情况',
      requesterHint: '如：3号楼独居老人（不写姓名）',
    },
    resources: { add: '登记资源', organisation: '所属单位', retire: '停用' },
    projects: { add: '植入项目', start: '启动', complete: '结项', figures: '更新人数', cancel: '取消项目', photos: '项目照片', addPhoto: '上传照片', noNeeds: '尚未满足需求' },
    claims: { done: '已完成', notDone: '未完成', noFulfilment: '尚无履约记录', tasks: '项目任务', addTask: '添加任务', taskName: '任务名称', taskOn: '任务日期', peopleWanted: '需要人数', claimTask: '认领任务', noTasks: '尚无任务', claimedBy: '已认领 {n} 人/单位', partyMember: '双报到党员', outcome: '履约结果', caseClaims: '本网格该类事件的认领', compoundClaims: '楼院认领', ownerless: '无主楼院', claim: '认领', list: '认领记录', fulfil: '记录履约', end: '结束认领', note: '履约内容', unclaimed: '未认领', start: '开始日期', endOn: '结束日期' },
    councils: {
      add: '记录议事会', addParticipant: '添加参会人', addLine: '添加一项', addFollowUp: '添加后续事项', becameNeed: '已转为需求', becameCase: '已转为事件 {number}',
      category: '事件类别', pickCompound: '选择楼院', placeHint: '如：院内议事亭',
    },
    phone: {
      title: '群众需求', open: '待解决的需求（{n} 条）', none: '网格里暂时没有待解决的需求', add: '登记一条需求', what: '需要什么帮助？', whom: '谁需要？',
      who: { aloneElderly: '独居老人', disabled: '残疾人', lowIncome: '困难家庭', family: '其他住户' }, described: '{who}需要{what}',
      submit: '登记需求', recorded: '已登记，社区会尽快对接', entry: '群众需求',
    },
    pickGrid: '选择网格',
  },
};

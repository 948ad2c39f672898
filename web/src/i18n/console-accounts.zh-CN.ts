// Messages of the accounts, approvals, own-password and security-audit pages, merged when one of them loads
// (console/accounts/accountMessages.ts).
export default {
  accounts: {
    title: '账户管理', approvals: '管理员角色审批', create: '新建账户', search: '用户名或姓名', role: '角色', status: '状态', scope: '管辖范围',
    userName: '用户名', displayName: '姓名', phone: '手机号', lastLogin: '最近登录', never: '从未登录', actions: '操作', edit: '编辑',
    deactivate: '停用', reactivate: '启用', unlock: '解锁', resetPassword: '重置密码', password: '初始密码', passwordHint: '至少 8 位，含大写、小写、数字、符号中的三类，不能是常见密码；本人首次登录时须修改',
    organisation: '所属组织', organisationHint: '部门、物业公司等（可不选）', save: '保存', cancel: '取消', count: '共 {n} 个账户',
    statuses: { active: '正常', locked: '已锁定', pending: '待审批', inactive: '已停用' } as Record<string, string>,
    confirmDeactivate: '停用“{name}”后，其所有登录会话立即失效，且不能再登录。确定停用？', deactivated: '已停用 {name}，其会话已全部结束',
    reactivated: '已启用 {name}', reactivationPending: '管理员账户的启用须另一名管理员审批，已提交申请', unlocked: '已解除 {name} 的登录锁定',
    confirmReset: '将为“{name}”生成一次性密码，其现有会话立即结束，下次登录必须修改密码。确定重置？',
    oneTimeTitle: '{name} 的一次性密码', oneTimeWarning: '此密码只显示这一次。请当面或电话告知本人；本人登录后须立即设置新密码。', saved: '我已告知本人',
    created: '已创建账户 {name}', createdPending: '已创建账户 {name}：管理员角色须另一名管理员审批后才能登录', updated: '已保存',
    grantPending: '已提交管理员角色申请，待另一名管理员审批',
    pendingNone: '没有待审批的申请', requestedBy: '申请人', requestedAt: '申请时间', newRoles: '申请角色', approve: '批准', reject: '驳回', note: '审批意见',
    approved: '已批准，{name} 已获得角色', rejected: '已驳回', newAccount: '新账户', history: '已处理',
    resetSecondFactor: '重置动态口令', confirmResetSecondFactor: '“{name}”的手机丢失或更换时使用：重置后其下次登录须重新绑定身份验证器。确定重置？', secondFactorReset: '已重置 {name} 的动态口令',
    scopeAll: '全部（仅管理员）', scopePlaceholder: '选择网格、社区或街道', rolesPlaceholder: '选择角色',
    rules: '规则：居民不能兼任工作人员；系统、安全、审计管理员各由不同账户担任且不兼业务角色；网格员只能管辖网格，社区工作人员管辖社区。',
  },
  password: {
    title: '修改密码', required: '您正在使用管理员设置的初始密码或重置的一次性密码，请先设置自己的新密码后再继续使用。', current: '当前密码', next: '新密码', repeat: '再次输入新密码',
    mismatch: '两次输入的新密码不一致', save: '修改密码', done: '密码已修改，您在其他设备上的登录已结束', hint: '至少 8 位，含大写、小写、数字、符号中的三类；不能包含用户名，不能是常见密码。',
  },
  audit: {
    title: '安全审计日志', kind: '事件', outcome: '结果', actor: '操作人', from: '开始日期', to: '结束日期', search: '查询', export: '导出 Excel', verify: '校验完整性',
    at: '时间', subject: '对象', address: '来源地址', detail: '说明', sequence: '序号', total: '共 {n} 条',
    outcomes: { success: '成功', failure: '失败', refused: '拒绝' } as Record<string, string>,
    intact: '完整', broken: '被篡改',
  },
};

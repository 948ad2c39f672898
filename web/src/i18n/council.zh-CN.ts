// Messages of the resident council's pages (console /council, /branch-activities; phone /m/council), merged when one of
// those pages' chunks loads (shared/councilMessages.ts).
import type { CouncilMemberKind } from '@/shared/contract';
export default {
  council: {
    kinds: { 'courtyard-head': '楼院长', 'party-deputy': '党代表', 'peoples-deputy': '人大代表', 'cppcc-member': '政协委员', 'resident-representative': '居民代表' } satisfies Record<CouncilMemberKind, string> as Record<string, string>,
    title: '居民议事会评议（双评）', members: '议事会成员', assignments: '评议安排', progress: '评议进度', period: '考核期', periodHint: '如 2026-Q4、2026-11',
    status: { serving: '在任', ended: '已卸任', all: '全部' }, name: '姓名', kind: '类别', phoneNumber: '手机号码', community: '社区', home: '居住网格', compound: '院落',
    term: '任期', termFrom: '任期开始', termTo: '任期结束', serving: '在任', ended: '已卸任', add: '添加成员', homeGrid: '居住的网格', save: '保存', cancel: '取消',
    saved: '已保存', signInCode: '登录二维码', signInCodeTitle: '{name} 的登录二维码', signInCodeHint: '请成员用手机微信扫码，{time} 前有效，只能用一次。扫码后无需密码即可评议。',
    endTerm: '卸任', endTermTitle: '{name} 卸任', reason: '原因', endOn: '卸任日期', endHint: '卸任后成员的手机账户立即停用，评议记录保留。',
    assignByCompound: '按院落一键安排', assignByCompoundDone: '新安排 {created} 人，已有安排 {already} 人', assign: '安排评议', member: '成员', grids: '评议网格',
    grid: '网格', scored: '已评', notScored: '未评', withdraw: '撤回', withdrawn: '已撤回', assignedAt: '安排时间',
    window: '评议时间 {from} 至 {to}', open: '进行中', closed: '未开放', quorum: '法定人数 {n} 人，去掉最高、最低各 {share}%',
    assigned: '已安排', scoredCount: '已评分', quorate: '已达法定人数', notQuorate: '未达法定人数', score: '评议得分', phrases: '常选评语',
    privacy: '只显示评议人数和汇总得分，不显示谁打了几分；被评议网格的网格员、网格长看不到本页。', none: '暂无数据',
    activities: {
      title: '支部活动（主题党日等）', add: '登记活动', grid: '支部网格', heldOn: '活动日期', activityTitle: '活动主题', participants: '参加人数', note: '活动内容',
      photos: '佐证材料', counts: '计入考核', notCounted: '缺佐证，不计入', upload: '上传照片/签到表', uploaded: '已上传', recordedBy: '登记人',
      hint: '支部活动计入“支部主题党日活动”指标：须上传活动照片或签到表后才计入。',
    },
    phone: {
      title: '议事会评议', hello: '{name}，您好', intro: '请为下面的网格打分：点星星，再点几句评语，最后点“提交”。', closesOn: '{date} 前可以修改',
      submit: '提交评议', change: '修改评议', submitted: '已提交，谢谢您！', done: '已评', phrases: '想说的话（可选，最多 3 条）', none: '现在没有需要评议的网格',
      notMember: '您不是在任的居民议事会成员，没有需要评议的网格。', signIn: '请用社区工作人员出示的二维码登录后再评议。', starsLeft: '还有项目没打星',
    },
  },
};

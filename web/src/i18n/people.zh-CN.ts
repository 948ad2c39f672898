// Messages of the roster, training and work ID pages (console /roster, /training; phone /m/workid, /m/verify), merged when
// one of those pages' chunks loads (shared/peopleMessages.ts).
import type { AgeBand, CourseKind, MemberKind, WorkIdStatus } from '@/shared/contract';
export default {
  people: {
    kinds: { 'full-time-worker': '专职网格员', 'community-cadre': '社区干部', 'micro-volunteer': '微网格员', 'sunk-staff': '下沉人员', 'grid-leader': '网格长' } satisfies Record<MemberKind, string> as Record<string, string>,
    ageBands: { 'under-40': '40岁以下', '40-59': '40-59岁', '60-69': '60-69岁', '70-plus': '70岁及以上' } satisfies Record<AgeBand, string> as Record<string, string>,
    courseKinds: { policy: '政策', 'platform-use': '平台使用', safety: '安全' } satisfies Record<CourseKind, string> as Record<string, string>,
    statuses: { valid: '有效', expired: '已过期', revoked: '已注销', 'not-yet-valid': '未生效' } satisfies Record<WorkIdStatus, string> as Record<string, string>,
    roster: {
      title: '网格员队伍', members: '人员', vacancies: '空缺网格', import: 'Excel 导入', turnover: '队伍流动', kind: '类别', grid: '网格', status: '状态',
      active: '在岗', left: '已离开', all: '全部', name: '姓名', phone: '手机号码', ageBand: '年龄段', community: '所属社区', grids: '当前网格',
      joinedOn: '到岗日期', leftOn: '离开日期', account: '登录账号', organisation: '所在单位', add: '新增人员', count: '共 {n} 人', detail: '人员详情',
      history: '任职记录', startOn: '开始', endOn: '结束', current: '在任', assign: '安排网格', move: '调整网格', end: '结束任职', leave: '离开队伍',
      leaveReason: '离开原因（必填）', leaveWarning: '离开后其全部任职结束，工作证随即注销；记录保留用于统计队伍流动。', on: '日期', pickGrid: '从网格树中选择',
      elder: '适老', saved: '已保存', missing: '缺少', vacancyCount: '共 {n} 个网格存在空缺', map: '空缺分布', level: '层级',
      levels: { 'grid-3': '三级网格', micro: '微网格' } as Record<string, string>,
      template: '下载导入模板', file: '名单文件（.xlsx）', partial: '只导入正确的行', upload: '上传并导入', noFile: '请先选择名单文件',
      summary: '共 {rows} 行：新建 {created}，更新 {updated}，未变 {unchanged}，有误 {failed}', stored: '已保存', notStored: '未导入任何人员',
      row: '行号', column: '列', message: '问题', outcome: '结果', outcomes: { created: '新建', updated: '更新', unchanged: '未变' } as Record<string, string>,
      quarter: '季度', atStart: '期初人数', joined: '新加入', leftCount: '离开', atEnd: '期末人数', rate: '流动率',
      rateHint: '流动率 = 离开人数 ÷ 平均人数（(期初 + 期末) ÷ 2）',
    },
    training: {
      title: '培训与工作证', courses: '课程', sessions: '培训场次', workIds: '工作证', courseTitle: '课程名称', kind: '类别', hours: '学时', passMark: '合格分',
      required: '办证必修', unit: '开设单位', addCourse: '新增课程', addSession: '新增场次', course: '课程', heldOn: '日期', place: '地点', trainer: '授课人',
      attendees: '参训人数', passed: '合格人数', attendance: '签到与成绩', attended: '到场', score: '成绩', addAttendee: '添加参训人员', save: '保存',
      eligible: '可办证人员', eligibleHint: '已通过全部必修课程、尚无有效工作证的在岗人员', issue: '办理工作证', validFrom: '有效期自', validUntil: '有效期至',
      number: '证号', holder: '持证人', validity: '有效期', expiringSoon: '30 天内到期', filter: '筛选', print: '打印', revoke: '注销', revokeReason: '注销原因（必填）',
      photo: '上传照片', photoDone: '照片已更新', issued: '已办理工作证 {number}', none: '暂无', missingCourses: '未通过：{titles}',
      filters: { all: '全部', valid: '有效', expiring: '即将到期', expired: '已过期', revoked: '已注销' } as Record<string, string>,
    },
    card: {
      title: '网格员工作证', issuer: '{name}网格化服务管理中心', name: '姓名', kind: '身份', grid: '服务网格', number: '证号', validity: '有效期',
      scan: '扫码核验真伪', noPhoto: '照片', back: '返回',
    },
    mine: { title: '我的工作证', none: '您还没有工作证，通过培训后由社区办理。', notOnRoster: '您的账号还没有登记到网格员队伍，请联系社区工作人员。', show: '出示此证时，对方扫描二维码即可核验。', link: '我的工作证' },
    verify: { title: '网格员工作证核验', valid: '证件有效', expired: '证件已过期', revoked: '证件已注销', 'not-yet-valid': '证件尚未生效', unknown: '查无此证', unknownHint: '该二维码不是本平台签发的网格员工作证，请提高警惕。', grid: '服务网格', name: '姓名', today: '核验日期' },
  },
};

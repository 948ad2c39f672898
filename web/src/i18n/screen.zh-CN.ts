// Messages of the big screen (/screen/).
export default {
  screen: {
    title: '{scope} 城市运行中心 · 一网统管', live: '实时', offline: '连接中断，正在重连', todayIntake: '今日上报', open: '在办案件', overdue: '超期',
    supervised: '督办', closureRate: '近 30 天办结率', onTimeRate: '按时办结率', byChannel: '今日上报渠道', solvedAt: '就地解决（近 30 天办结）',
    trend: '近 30 天上报与办结', feed: '实时动态', map: '在办案件分布', legend: { green: '绿·网格', yellow: '黄·社区', blue: '蓝·街道', red: '红·区级' },
    reported: '上报', closed: '办结', heat: '热点', noEvents: '等待新的上报…', signIn: '请先登录控制台', asOf: '数据时间 {time}',
    kinds: { 'case-reported': '新上报', 'case-changed': '状态变化' },
    departments: '本月职能部门按时办结率', noDepartments: '本月尚无部门办结的案件', stars: '网格星级分布（{period}）', noStars: '尚无已发布的星级评定',
    starLabel: '{n} 星', unrated: '未评定', patrolling: '巡查中 {n} 人', closedCount: '办结 {n} 件',
    duty: '值班值守', officer: '值班', leader: '带班领导', unscheduled: '未排班', nextDay: '次日 ', dutyUnavailable: '暂无可显示的值班信息',
  },
};

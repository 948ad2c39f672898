// Messages of the resident's own pages (phone): the receipt after reporting, the case page (补充, 催办, 撤回, rating with a
// comment, the result), 附近的问题 and 长辈模式; merged when one of those pages loads (phone/residentMessages.ts).
export default {
  resident: {
    receipt: {
      title: '已收到您反映的问题', number: '案件编号（请记下）', expected: '预计 {time} 前处理完毕',
      owner: '已交{owner}处理', next: '接下来', step1: '工作人员受理后会安排专人处理，进度会显示在“我的上报”里。',
      step2: '处理完毕后请您看看结果，满意就打个分；没解决可以说“没解决”。', step3: '受理前如果不需要处理了，可以撤回。',
      tokenKept: '这部手机已记住查询码，不用登录也能查看进度。',
    },
    phonePlaceholder: '请输入手机号（选填）',
    nearbyLink: '看看附近的问题', elder: '长辈模式', elderHint: '字更大、按钮更大',
    track: {
      steps: { reported: '已上报', accepted: '已受理', handling: '处理中', handled: '已处理', done: '已办结' } as Record<string, string>,
      expected: '预计 {time} 前处理完毕', overdue: '已超过预计时间', result: '处理结果', unit: '处理单位：{unit}', handledAt: '处理时间：{time}',
      photos: '照片', resultPhotos: '处理后照片', timeline: '办理经过', yourComment: '您的评价：{comment}',
      verify: '问题解决了吗？', solved: '解决了', notSolved: '没解决', notSolvedReason: '哪里还没解决？',
      rate: '给处理结果打分', comment: '想说的话（选填）', commentPlaceholder: '例如：处理很及时', send: '提交评价', rated: '您的评分：{n} 星',
      supplement: '补充情况', supplementHint: '还有要告诉工作人员的？可以写几句或加照片。', supplementPlaceholder: '请写下要补充的情况',
      addPhoto: '加照片', supplementSend: '提交补充', supplemented: '已补充，工作人员会看到',
      chase: '催办', chaseHint: '反映满 3 天或超过预计时间后可以催办，每天一次。', chaseAt: '{time} 后可以催办', chased: '已催办，我们已提醒工作人员',
      withdraw: '撤回', withdrawHint: '工作人员受理前可以撤回。', withdrawTitle: '为什么撤回？', withdrawSend: '确认撤回', withdrawn: '已撤回',
      withdrawReasons: ['问题已经解决了', '报错了位置或类别', '重复上报了', '其他原因'],
      withdrawOther: '请写下原因', cancel: '取消', notMine: '这件事由您反映，以下操作只有反映人本人可以做。',
      missing: '请写几句话或加一张照片',
      stars: '{n} 星',
    },
    nearby: {
      title: '附近的问题', intro: '最近 30 天、1 公里内居民和工作人员反映的问题。为保护隐私，位置只到大致范围，不显示描述和照片。',
      empty: '附近最近没有反映的问题', resolved: '已处理', open: '处理中', within: '{n} 米内', reportedAt: '{time} 反映', resolvedAt: '{time} 处理完毕',
      total: '共 {n} 件', more: '查看更多', locating: '正在获取您的位置…', here: '您的位置', report: '我也要反映问题', failed: '暂时无法读取附近的问题',
    },
  },
};

// The notification centre's words (bell, list, 我的消息设置), Chinese and English, shared by the console and the phone pages.
import { i18n } from '@/i18n';

const zh = {
  notify: {
    bell: '消息', unread: '{n} 条未读', title: '我的消息', empty: '暂无消息', all: '全部', unreadOnly: '只看未读',
    markRead: '标为已读', markAllRead: '全部标为已读', markedAll: '已将 {n} 条消息标为已读', read: '已读', openCase: '查看案件',
    settings: '我的消息设置', settingsHint: '除了本平台的消息，还可以通过下面的渠道通知您。关闭某个渠道后，该渠道不再发送任何消息；本平台内的消息照常保留。',
    channel: { sms: '短信', wechat: '微信' } as Record<string, string>,
    on: '接收', off: '已关闭', none: '未绑定', turnedOn: '已开启{channel}通知', turnedOff: '已关闭{channel}通知',
    wechatHint: '从公众号菜单进入本平台即可绑定微信，办理进度会以公众号消息通知您。', wechatBound: '已绑定您本人的微信，办理进度会以公众号消息通知您',
    smsHint: '手机号由社区工作人员登记或在上报时留下。',
    loadFailed: '消息加载失败，请稍后再试', more: '加载更多', page: '第 {page} 页',
  },
};

const en = {
  notify: {
    bell: 'Messages', unread: '{n} unread', title: 'My messages', empty: 'No messages', all: 'All', unreadOnly: 'Unread only',
    markRead: 'Mark read', markAllRead: 'Mark all read', markedAll: '{n} messages marked read', read: 'Read', openCase: 'Open case',
    settings: 'Message settings', settingsHint: 'Besides messages here, you can be notified through the channels below. A channel turned off sends nothing; messages here stay.',
    channel: { sms: 'SMS', wechat: 'WeChat' } as Record<string, string>,
    on: 'On', off: 'Off', none: 'Not linked', turnedOn: '{channel} notifications on', turnedOff: '{channel} notifications off',
    wechatHint: 'Open this site from the official account menu to link WeChat; progress is then sent as account messages.', wechatBound: 'Your WeChat is linked; progress is sent as account messages',
    smsHint: 'The phone number is recorded by community staff or left with a report.',
    loadFailed: 'Could not load messages; try again later', more: 'Load more', page: 'Page {page}',
  },
};

i18n.global.mergeLocaleMessage('zh-CN', zh);
i18n.global.mergeLocaleMessage('en-US', en);

// The caller's notification channels (phone, WeChat) with their opt-outs, for both 我的消息设置 pages.
import { ref } from 'vue';
import { api, problemText, type Schemas } from '@/api/client';

export type ChannelAddress = Schemas['ChannelAddressResponse'];
export const channelNames = ['wechat', 'sms'] as const;

export function useChannels() {
  const channels = ref<ChannelAddress[]>([]);
  const loading = ref(false);

  async function load() {
    loading.value = true;
    try {
      const { data } = await api.GET('/api/notifications/channels');
      channels.value = data ?? [];
    } finally {
      loading.value = false;
    }
  }

  function of(channel: string): ChannelAddress | undefined {
    return channels.value.find((c) => c.channel === channel);
  }

  /** Turns a channel on or off; null when done, else the sentence to show. */
  async function setOn(channel: string, on: boolean): Promise<string | null> {
    const { data, error } = await api.PUT('/api/notifications/channels/{channel}/opt-out', {
      params: { path: { channel } }, body: { optedOut: !on },
    });
    if (!data) return problemText(error, '保存失败');
    channels.value = channels.value.map((c) => (c.channel === channel ? data : c));
    return null;
  }

  return { channels, loading, load, of, setOn };
}

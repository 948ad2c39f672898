// How many emergency broadcasts the signed-in worker has not confirmed (收到) yet: the red bar on the tasks page.
import { ref } from 'vue';
import { api } from '@/api/client';

export const outstandingBroadcasts = ref(0);

export async function refreshOutstandingBroadcasts() {
  const { data } = await api.GET('/api/broadcasts/mine');
  outstandingBroadcasts.value = (data ?? []).filter((b) => !b.acknowledgedAt).length;
}

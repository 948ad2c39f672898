// The menu's duty badge: alerts waiting for the signed-in officer or leader (GET /api/duty/now). Refreshed on start, on
// every page change and on live updates; silent for callers without a subdistrict (the district).
import { ref } from 'vue';
import { api } from '@/api/client';

export const myPendingAlerts = ref(0);

export async function refreshDutyBadge() {
  const { data } = await api.GET('/api/duty/now', {});
  myPendingAlerts.value = data?.myPendingAlerts ?? 0;
}

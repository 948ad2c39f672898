// The badge counts of the side menu: one call for the inboxes, one for the confirm-location queue. Shared by the
// layout and the queue pages, which refresh it after a case leaves a queue.
import { reactive } from 'vue';
import { api } from '@/api/client';

export const queueNames = ['to-accept', 'to-confirm', 'due-soon', 'overdue', 'supervised', 'mine', 'grid-open'] as const;
export type QueueName = (typeof queueNames)[number];

export const inboxCounts = reactive<Record<string, number>>({});

export async function refreshInboxCounts() {
  const [boxes, offers] = await Promise.all([api.GET('/api/cases/inbox'), api.GET('/api/cases/to-confirm')]);
  for (const b of boxes.data?.boxes ?? []) inboxCounts[b.box] = b.count;
  inboxCounts['to-confirm'] = new Set((offers.data ?? []).map((o) => o.caseNumber)).size;
}

// Live updates: one EventSource per page to GET /api/live (server-sent events of the cases in the user's scope), shared by
// every component that listens, opened while anyone listens. The browser reconnects by itself (after `retry`, with
// Last-Event-ID, so nothing in between is lost).

/** One `case` event (the server's LiveCaseEvent). */
export interface LiveCase {
  id: string;
  at: string;
  kind: 'case-reported' | 'case-changed';
  caseNumber: string;
  gridCode: string;
  categoryCode: string;
  title: string;
  channel: string;
  tier: 'green' | 'yellow' | 'blue' | 'red';
  previousTier: 'green' | 'yellow' | 'blue' | 'red';
  status: string;
  lon: number;
  lat: number;
  /** A case reported or just turned red, or a new case of a kind that cannot wait (fire, flooding…): the server decides. */
  urgent: boolean;
}

type Listener = (event: LiveCase) => void;
const listeners = new Set<Listener>();
let source: EventSource | undefined;

function open() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/live', { withCredentials: true });
  source.addEventListener('case', (message) => {
    let event: LiveCase;
    try {
      event = JSON.parse((message as MessageEvent<string>).data) as LiveCase;
    } catch {
      return;
    }
    for (const listener of [...listeners]) listener(event);
  });
}

/** Calls `listener` for each live case event until the returned function is called. */
export function onLiveCase(listener: Listener): () => void {
  listeners.add(listener);
  open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      source?.close();
      source = undefined;
    }
  };
}

/** True for what a duty officer must see at once (the server's `urgent`: red, or a kind that cannot wait). */
export function isUrgent(event: LiveCase): boolean {
  return event.urgent;
}

/** Runs `action` once, `ms` after the last of a burst of calls. */
export function debounced(action: () => void, ms: number): () => void {
  let timer: number | undefined;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(action, ms);
  };
}

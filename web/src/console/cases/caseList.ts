// The list a case was opened from (a queue, the search, the home page), kept for this tab so that the detail's 下一件
// walks the same list in the same order — also after the case just handled has left its queue.
const key = 'civicgrid.caseList';

export interface RememberedList {
  /** The queue's name (to-accept, mine…), or search / home. */
  queue: string;
  numbers: string[];
}

export function rememberList(queue: string, numbers: string[]) {
  try {
    sessionStorage.setItem(key, JSON.stringify({ queue, numbers } satisfies RememberedList));
  } catch {
    // Private mode without storage: no 下一件, nothing else lost.
  }
}

export function rememberedList(): RememberedList | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(key) ?? 'null') as RememberedList | null;
    return value && Array.isArray(value.numbers) ? value : null;
  } catch {
    return null;
  }
}

/** The number after `current` in the list; null at its end or when the case is not in it. */
export function nextCase(list: RememberedList | null, current: string): string | null {
  if (!list) return null;
  const i = list.numbers.indexOf(current);
  return i >= 0 ? (list.numbers[i + 1] ?? null) : null;
}

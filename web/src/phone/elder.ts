// Elder-friendly mode (适老模式): bigger type, stronger contrast, larger targets and a report with no typing.
// On by default for micro-grid workers (volunteers, many elderly), switchable by anyone; the choice is kept on the phone.
import { ref, watch } from 'vue';

const KEY = 'civicgrid.elderMode';

function stored(): boolean | null {
  const value = localStorage.getItem(KEY);
  return value === '1' ? true : value === '0' ? false : null;
}

/** True while the pages are shown in elder-friendly mode (the <html> element carries the class `elder`). */
export const elderMode = ref(stored() ?? false);

watch(elderMode, (on) => document.documentElement.classList.toggle('elder', on), { immediate: true });

/** The signed-in user's default, unless this phone already has a choice. */
export function applyElderDefault(roles: readonly string[]) {
  if (stored() === null) elderMode.value = roles.includes('micro-grid-worker');
}

export function setElderMode(on: boolean) {
  elderMode.value = on;
  localStorage.setItem(KEY, on ? '1' : '0');
}

/** The roster's age band decides when this phone has no choice yet: 60 and over get the elder-friendly pages. */
export function applyElderAge(elder: boolean) {
  if (stored() === null && elder) elderMode.value = true;
}

// One picture per category group, so a reporter finds the group without reading every word.
const majors: Record<string, string> = {
  C01: '💡', C02: '🚦', C03: '🌳', E01: '🗑️', E02: '📄', E03: '🚧', E04: '⚠️', E05: '🛒',
  G01: '🏘️', G02: '🤝', G03: '⚖️', G04: '🛡️',
};
const minors: Record<string, string> = {
  C0101: '🕳️', C0102: '💡', C0302: '🌲', E0401: '🕳️', E0402: '🚰', E0503: '🚗', G0401: '🔥', G0402: '👤', G0201: '👵',
};
export function categoryIcon(code: string): string {
  return minors[code] ?? majors[code.slice(0, 3)] ?? '📌';
}

// The query of a list's filters (empty ones left out) and the Excel export of the same selection.
export function filterQuery(filter: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v));
}

export function exportLink(path: string, query: Record<string, string>): string {
  const params = new URLSearchParams(query).toString();
  return params ? `${path}?${params}` : path;
}

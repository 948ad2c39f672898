// A person's name as the server masks it (Masking.PersonName): the first character, then one * per other character.
// For names an answer carries in full to supervisors (a patrol track's worker) but a page shows masked.
export function maskedName(name: string | null | undefined): string {
  if (!name || name.length <= 1) return name ?? '';
  return name[0] + '*'.repeat(name.length - 1);
}

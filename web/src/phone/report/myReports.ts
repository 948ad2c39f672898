// "My reports" kept on this phone: the case numbers and, for anonymous reports, the follow token that the
// server shows only once. Signed-in residents also see their reports from the server.
export interface MyReport {
  number: string;
  followToken?: string;
  categoryName: string;
  reportedAt: string;
  message?: string;
}

const KEY = 'civicgrid.myReports';

export function myReports(): MyReport[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as MyReport[];
  } catch {
    return [];
  }
}

export function remember(report: MyReport) {
  const all = myReports().filter((r) => r.number !== report.number);
  all.unshift(report);
  localStorage.setItem(KEY, JSON.stringify(all.slice(0, 100)));
}

export function findReport(number: string): MyReport | undefined {
  return myReports().find((r) => r.number === number);
}

/** The report is in the signed-in resident's account now: its follow token is no longer needed (nor accepted) here. */
export function forgetToken(numbers: readonly string[]) {
  const all = myReports().map((r) => (numbers.includes(r.number) ? { ...r, followToken: undefined } : r));
  localStorage.setItem(KEY, JSON.stringify(all));
}

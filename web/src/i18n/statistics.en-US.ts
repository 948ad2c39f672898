// Messages of the statistics page (/statistics), merged when its chunk loads.
export default {
  statistics: {
    title: 'Statistics', scope: 'Scope', period: 'Period', pickScope: 'Pick a grid', customRange: 'Pick the months', startMonth: 'First month', endMonth: 'Last month',
    periods: { 'this-month': 'This month', 'last-month': 'Last month', 'this-quarter': 'This quarter', 'this-year': 'This year', 'last-12': 'Last 12 months', custom: 'Custom' },
    tooLong: 'At most {n} months at a time: the {n} months up to the last one are shown.',
    heading: '{scope} · {period}', asOf: 'Data as of {time}',
    inPeriod: '{period}', now: 'Right now',
    reported: 'Reported', closed: 'Closed', closureRate: 'Closure rate', closureRateHint: 'Share of the cases reported in the period that are closed',
    onTimeRate: 'On-time rate', onTimeRateHint: 'Share of the cases closed in the period with a deadline that were handled by it', open: 'Open',
    overdue: 'Overdue', supervised: 'Supervised', parked: 'Parked',
    trendDaily: 'Reported and closed per day', trendMonthly: 'Reported and closed per month', byChannel: 'Channels', byCategory: 'Categories (top {n})',
    byDepartment: 'On-time rate by department', solvedAt: 'Where cases were solved ({n} closed)', other: 'Other',
    solvedTiers: { green: 'Grid (green)', yellow: 'Community (yellow)', blue: 'Subdistrict (blue)', red: 'District (red)' },
    col: {
      day: 'Day', month: 'Month', reported: 'Reported', closed: 'Closed', channel: 'Channel', share: 'Share', category: 'Category', nowClosed: 'Of which closed',
      closureRate: 'Closure rate', onTimeRate: 'On-time rate', department: 'Department', withDeadline: 'Closed with a deadline', onTime: 'Closed on time', tier: 'Solved at',
    },
    noCases: 'No case was reported or closed in {scope} in {period}. Try another period or grid.',
    noChart: 'Nothing in this period', noDepartments: 'No department closed a case in this period',
    loadFailed: 'The statistics cannot be read right now; please try again.', retry: 'Retry',
    range: {
      month: '{mn1} {y1}', monthsInYear: '{mn1} – {mn2} {y1}', months: '{mn1} {y1} – {mn2} {y2}', day: '{d1} {mn1} {y1}',
      daysInMonth: '{d1} – {d2} {mn1} {y1}', daysInYear: '{d1} {mn1} – {d2} {mn2} {y1}', days: '{d1} {mn1} {y1} – {d2} {mn2} {y2}',
    },
    exportReport: 'Monthly report', reportMonth: 'Report month', exportCases: 'Export cases', exportHint: 'Excel workbooks of the scope and period chosen.',
  },
};

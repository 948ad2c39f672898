// Messages of the big screen (/screen/).
export default {
  screen: {
    title: '{scope} City Operations Centre', live: 'Live', offline: 'Disconnected, reconnecting', todayIntake: 'Reported today', open: 'Open cases',
    overdue: 'Overdue', supervised: 'Supervised', closureRate: 'Closure rate, 30 days', onTimeRate: 'On-time rate', byChannel: "Today's channels",
    solvedAt: 'Where solved (closed, 30 days)', trend: 'Reported and closed, 30 days', feed: 'Live feed', map: 'Open cases',
    legend: { green: 'Green · grid', yellow: 'Yellow · community', blue: 'Blue · subdistrict', red: 'Red · district' },
    reported: 'Reported', closed: 'Closed', heat: 'Hotspots', noEvents: 'Waiting for new reports…', signIn: 'Please sign in to the console first',
    asOf: 'Data as of {time}', kinds: { 'case-reported': 'New', 'case-changed': 'Changed' },
    departments: 'On-time rate by department, this month', noDepartments: 'No case closed by a department this month',
    stars: 'Grids by stars ({period})', noStars: 'No published star rating yet', starLabel: '{n} stars', unrated: 'Not rated',
    patrolling: '{n} on patrol', closedCount: '{n} closed',
    duty: 'On duty', officer: 'Officer', leader: 'Leader on call', unscheduled: 'Not scheduled', nextDay: 'next day ', dutyUnavailable: 'No duty roster to show',
  },
};

// Messages of the big screen (/screen/).
export default {
  screen: {
    title: '{scope} City Operations Centre', live: 'Live', offline: 'Disconnected, reconnecting', todayIntake: 'Reported today', open: 'Open cases',
    overdue: 'Overdue', supervised: 'Supervised', closureRate: 'Closure rate, 30 days', onTimeRate: 'On-time rate', byChannel: "Today's channels",
    solvedAt: 'Where solved (closed, 30 days)', trend: 'Reported and closed, 30 days', feed: 'Live feed', map: 'Open cases',
    legend: { green: 'Green · grid', yellow: 'Yellow · community', blue: 'Blue · subdistrict', red: 'Red · district' },
    reported: 'Reported', closed: 'Closed', heat: 'Hotspots', noEvents: 'Waiting for new reports…', signIn: 'Please sign in to the console first',
    asOf: 'Data as of {time}', kinds: { 'case-reported': 'New', 'case-changed': 'Changed' },
  },
};

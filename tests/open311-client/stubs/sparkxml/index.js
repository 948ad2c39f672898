// Stand-in for codeforamerica/node-sparkxml: the Open311 client calls it only when its format is 'xml'.
'use strict';
function unavailable() {
  throw new Error('XML parsing not available: sparkxml is stubbed in tests/open311-client (the tests use the JSON format)');
}
module.exports = { parseXml: unavailable, parse: unavailable };

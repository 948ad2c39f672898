// Stand-in for xml2json 0.2.x (native node-expat, built with node-waf, does not build on Node 20): the Open311 client
// calls it only when its format is 'xml'.
'use strict';
function unavailable() {
  throw new Error('XML parsing not available: xml2json is stubbed in tests/open311-client (the tests use the JSON format)');
}
module.exports = { toJson: unavailable, toXml: unavailable };

// Loaded into Azurite (NODE_OPTIONS=--require) by AzuriteServer and start.sh: Azurite 3.37 finds one entity
// (read, update, merge, delete) with the query { RowKey, PartitionKey } in that order, and LokiJS serves a query of
// several fields through the index of the first one, then scans what it found. Orleans's Azure Table provider gives
// every grain of one state type the same RowKey (the state's name) and its own PartitionKey, so each read or write
// of a person scanned every person: a département's onboarding cost the square of its persons in the emulator only
// (Azure Table serves a point query by its (PartitionKey, RowKey) key). The same query, PartitionKey first: same
// results, served by the PartitionKey index. Measured in bench/results/onboarding.md.
'use strict';
const path = require('path');

let loki;
try {
  loki = require(require.resolve('lokijs', { paths: [path.join(__dirname, 'node_modules', 'azurite')] }));
} catch {
  // Azurite not installed here (or it no longer uses LokiJS): nothing to correct.
}

if (loki && loki.Collection && typeof loki.Collection.prototype.findOne === 'function') {
  const findOne = loki.Collection.prototype.findOne;
  loki.Collection.prototype.findOne = function (query) {
    if (query && typeof query === 'object') {
      const keys = Object.keys(query);
      if (keys.length === 2 && keys[0] === 'RowKey' && keys[1] === 'PartitionKey') {
        query = { PartitionKey: query.PartitionKey, RowKey: query.RowKey };
      }
    }
    return findOne.call(this, query);
  };
}

// Loaded into Azurite (NODE_OPTIONS=--require) by AzuriteServer and start.sh: Azurite 3.37 finds one entity
// (read, update, merge, delete) with the query { RowKey, PartitionKey } in that order, and LokiJS serves a query of
// several fields through the index of the first one, then scans what it found. Orleans's Azure Table provider gives
// every grain of one state type the same RowKey (the state's name) and its own PartitionKey, so each read or write
// of a person scanned every person: a département's onboarding cost the square of its persons in the emulator only
// (Azure Table serves a point query by its (PartitionKey, RowKey) key); first by PartitionKey, the rows of a grain kept
// as rows (one partition, hundreds of rows) were scanned instead. The same query, served by whichever of the two indexes
// gives the fewer entities: same results. Measured in bench/results/onboarding.md.
'use strict';
const path = require('path');

let loki;
try {
  loki = require(require.resolve('lokijs', { paths: [path.join(__dirname, 'node_modules', 'azurite')] }));
} catch {
  // Azurite not installed here (or it no longer uses LokiJS): nothing to correct.
}

if (loki && loki.Collection && typeof loki.Collection.prototype.findOne === 'function'
    && typeof loki.Collection.prototype.calculateRange === 'function') {
  const findOne = loki.Collection.prototype.findOne;
  loki.Collection.prototype.findOne = function (query) {
    const indices = this.binaryIndices;
    if (query && typeof query === 'object' && typeof query.PartitionKey === 'string' && typeof query.RowKey === 'string'
        && Object.keys(query).length === 2 && this.adaptiveBinaryIndices === true && !this.cloneObjects
        && indices && indices.PartitionKey && indices.RowKey && !indices.PartitionKey.dirty && !indices.RowKey.dirty) {
      // Both ranges are binary searches; the narrower one is scanned. A grain state: one entity under its PartitionKey,
      // thousands under its RowKey. A row of a grain kept as rows: hundreds under its PartitionKey, few under its RowKey.
      const byPartition = this.calculateRange('$eq', 'PartitionKey', query.PartitionKey);
      const byRow = this.calculateRange('$eq', 'RowKey', query.RowKey);
      const [values, range] = byPartition[1] - byPartition[0] <= byRow[1] - byRow[0]
        ? [indices.PartitionKey.values, byPartition] : [indices.RowKey.values, byRow];
      for (let i = range[0]; i <= range[1]; i++) {
        const doc = this.data[values[i]];
        if (doc && doc.PartitionKey === query.PartitionKey && doc.RowKey === query.RowKey) return doc;
      }
      return null;
    }
    return findOne.call(this, query);
  };
}

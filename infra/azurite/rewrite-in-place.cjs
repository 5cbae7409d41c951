// Loaded into Azurite (NODE_OPTIONS=--require) by AzuriteServer and start.sh, beside point-lookup.cjs. Azurite 3.37
// keeps a table's entities in one LokiJS array with two sorted index arrays (PartitionKey, RowKey), and rewrites an
// entity that exists at a cost in the size of the table, not of the entity:
// - a replace (every grain-state write of Orleans's provider after the first) removes the entity and inserts it again:
//   LokiJS splices the array and its id index, and renumbers every position of both index arrays;
// - a merge (the rows of grains kept as rows) updates in place, but LokiJS looked the entity's position up in each
//   index array by a linear scan, though neither key can change.
// Profiled during admissions at the Nord's scale (bench/results/peer.md), LokiJS's remove and update took over half
// of Azurite's processor time: a cost Azure Table Storage does not have. Here a replace keeps the entity's place
// (same id: its keys are its identity). The merge's cost went with point-lookup.cjs, which leaves an entity
// collection's sorted indexes to LokiJS's lazy mode (an update then only flags them; until 02/12/2026 this file also
// spared the index upkeep of an update whose keys did not change). What a client sees is the same: queries come out
// sorted by (PartitionKey, RowKey) whatever the array order, ETags and preconditions are Azurite's own code (only the
// two collection calls are redirected), and a failed transaction still puts back the entity it had (its old object is
// left untouched).
// Checked by tests/Listes360.AzureStorage.Tests/EmulatorRewriteTests.cs; measured by bench/azurite-writes.
'use strict';
const path = require('path');

const azuriteFolder = path.join(__dirname, 'node_modules', 'azurite');
let loki;
let Store;
try {
  loki = require(require.resolve('lokijs', { paths: [azuriteFolder] }));
  Store = require(require.resolve('azurite/dist/src/table/persistence/LokiTableMetadataStore.js', { paths: [__dirname] })).default;
} catch {
  // Azurite not installed here, or laid out differently: nothing to correct.
}

const Collection = loki && loki.Collection;

if (Collection && Store && typeof Store.prototype.updateTableEntity === 'function' && typeof Store.prototype.getEntityCollection === 'function') {
  const updateTableEntity = Store.prototype.updateTableEntity;
  Store.prototype.updateTableEntity = function (context, table, account, entity, ifMatch, batchId) {
    let collection;
    try {
      collection = this.getEntityCollection(account, table, context);
    } catch {
      // Azurite's own code answers (table not found…).
      return updateTableEntity.apply(this, arguments);
    }
    // Azurite's replace is `remove(doc)` then `insert(entity)`, with no await between its lookup and them: both are
    // redirected, for this call only, into one in-place update of the same document.
    let removed = null;
    collection.remove = function (doc) {
      if (removed === null && doc && doc.PartitionKey === entity.PartitionKey && doc.RowKey === entity.RowKey) {
        removed = doc;
        return doc;
      }
      return Collection.prototype.remove.call(this, doc);
    };
    collection.insert = function (doc) {
      if (removed !== null && doc === entity) {
        doc.$loki = removed.$loki;
        doc.meta = removed.meta;
        return Collection.prototype.update.call(this, doc);
      }
      return Collection.prototype.insert.call(this, doc);
    };
    try {
      return updateTableEntity.apply(this, arguments);
    } finally {
      delete collection.remove;
      delete collection.insert;
    }
  };
}

// Loaded into Azurite (NODE_OPTIONS=--require) by AzuriteServer and start.sh: Azurite 3.37 finds one entity
// (read, update, merge, delete, and before each insert) with the query { RowKey, PartitionKey } in that order, and
// LokiJS serves a query of several fields through the index of the first one, then scans what it found. Orleans's
// Azure Table provider gives every grain of one state type the same RowKey (the state's name) and its own PartitionKey,
// so each read or write of a person scanned every person: a département's onboarding cost the square of its persons in
// the emulator only (Azure Table serves a point query by its (PartitionKey, RowKey) key).
//
// First corrected by serving the query through the narrower of LokiJS's two sorted indexes (two binary searches each,
// whose every step parses both strings as numbers, LokiJS's comparison rule): still a fifth of Azurite's processor
// during an onboarding at the Nord's scale (bench/results/onboarding.md, 02/12/2026), every keyed row merged or inserted
// looked up once or twice. Now a collection also keeps its entities by PartitionKey then RowKey in maps, as Azure Table
// itself finds them: kept up to date by LokiJS's add, update and removals, rebuilt whenever the collection's data
// changed some other way (loaded from disk, a LokiJS transaction rolled back, cleared), and each entity it gives checked
// to still be the collection's. The sorted indexes stay as they were (queries by range use them).
'use strict';
const path = require('path');

let loki;
try {
  loki = require(require.resolve('lokijs', { paths: [path.join(__dirname, 'node_modules', 'azurite')] }));
} catch {
  // Azurite not installed here (or it no longer uses LokiJS): nothing to correct.
}

const Collection = loki && loki.Collection;

if (Collection && ['findOne', 'calculateRange', 'add', 'update', 'remove', 'removeBatchByPositions', 'get']
  .every(name => typeof Collection.prototype[name] === 'function')) {
  const proto = Collection.prototype;
  const { findOne, add, update, remove, removeBatchByPositions } = proto;

  /** The collection's entities by key, valid while the collection's data array is the one it was built from, at that length. */
  const keyed = new WeakMap();

  const isEntity = doc => doc && typeof doc.PartitionKey === 'string' && typeof doc.RowKey === 'string';

  const put = (state, doc) => {
    if (!isEntity(doc)) return;
    let rows = state.partitions.get(doc.PartitionKey);
    if (!rows) state.partitions.set(doc.PartitionKey, rows = new Map());
    rows.set(doc.RowKey, doc);
  };

  const build = collection => {
    const state = { data: collection.data, length: collection.data.length, partitions: new Map() };
    for (const doc of collection.data) put(state, doc);
    keyed.set(collection, state);
    return state;
  };

  const current = collection => {
    const state = keyed.get(collection);
    return state && state.data === collection.data && state.length === collection.data.length ? state : null;
  };

  /** The document of this key among the collection's data, through the sorted indexes (or a scan without them). */
  const search = (collection, partitionKey, rowKey) => {
    const indices = collection.binaryIndices;
    if (collection.adaptiveBinaryIndices === true && indices && indices.PartitionKey && indices.RowKey
        && !indices.PartitionKey.dirty && !indices.RowKey.dirty) {
      // Both ranges are binary searches; the narrower one is scanned.
      const byPartition = collection.calculateRange('$eq', 'PartitionKey', partitionKey);
      const byRow = collection.calculateRange('$eq', 'RowKey', rowKey);
      const [values, range] = byPartition[1] - byPartition[0] <= byRow[1] - byRow[0]
        ? [indices.PartitionKey.values, byPartition] : [indices.RowKey.values, byRow];
      for (let i = range[0]; i <= range[1]; i++) {
        const doc = collection.data[values[i]];
        if (doc && doc.PartitionKey === partitionKey && doc.RowKey === rowKey) return doc;
      }
      return null;
    }
    for (const doc of collection.data) {
      if (doc && doc.PartitionKey === partitionKey && doc.RowKey === rowKey) return doc;
    }
    return null;
  };

  /** A removed document leaves the maps; another document of the same key, if the collection holds one, takes its place. */
  const forget = (collection, state, doc) => {
    if (!isEntity(doc)) return;
    const rows = state.partitions.get(doc.PartitionKey);
    if (!rows || rows.get(doc.RowKey) !== doc) return;
    rows.delete(doc.RowKey);
    const other = search(collection, doc.PartitionKey, doc.RowKey);
    if (other) rows.set(doc.RowKey, other);
    else if (rows.size === 0) state.partitions.delete(doc.PartitionKey);
  };

  /** Runs a LokiJS change; when the maps were up to date before it, brings them up to date after it. */
  const keeping = (collection, change, after) => {
    const state = current(collection);
    const result = change();
    if (state) {
      after(state);
      state.data = collection.data;
      state.length = collection.data.length;
    }
    return result;
  };

  proto.add = function (obj) {
    return keeping(this, () => add.call(this, obj), state => put(state, obj));
  };

  proto.update = function (doc) {
    if (Array.isArray(doc)) return update.call(this, doc);
    return keeping(this, () => update.call(this, doc), state => {
      const stored = doc && typeof doc.$loki === 'number' ? this.get(doc.$loki) : null;
      if (stored) put(state, stored);
    });
  };

  proto.remove = function (doc) {
    if (Array.isArray(doc)) return remove.call(this, doc);
    const removed = typeof doc === 'number' ? this.get(doc) : doc;
    return keeping(this, () => remove.call(this, doc), state => forget(this, state, removed));
  };

  proto.removeBatchByPositions = function (positions) {
    const docs = Array.isArray(positions) ? positions.map(p => this.data[p]) : [];
    return keeping(this, () => removeBatchByPositions.call(this, positions), state => {
      for (const doc of docs) forget(this, state, doc);
    });
  };

  proto.findOne = function (query) {
    if (query && typeof query === 'object' && typeof query.PartitionKey === 'string' && typeof query.RowKey === 'string'
        && Object.keys(query).length === 2 && !this.cloneObjects && Array.isArray(this.data)) {
      const state = current(this) || build(this);
      const doc = state.partitions.get(query.PartitionKey)?.get(query.RowKey) ?? null;
      if (doc === null) return null;
      // Still the collection's document (its keys never change): otherwise the maps are rebuilt from the data.
      if (this.get(doc.$loki) === doc) return doc;
      return build(this).partitions.get(query.PartitionKey)?.get(query.RowKey) ?? null;
    }
    return findOne.call(this, query);
  };
}

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
// looked up once or twice. Now a collection of entities keeps them by PartitionKey then RowKey in maps, as Azure Table
// itself finds them: kept up to date by LokiJS's add, update and removals, rebuilt whenever the collection's data
// changed some other way (loaded from disk, a LokiJS transaction rolled back, cleared), and each entity it gives checked
// to still be the collection's. Azurite queries a table with a filter function over every entity (`where`), never
// through the sorted indexes: with point lookups served here, LokiJS's upkeep of those indexes at each insert (a binary
// search and an insertion into an array the size of the table, for each of the two) served nothing. Such a collection
// now leaves them to LokiJS's lazy mode (flagged out of date, rebuilt by LokiJS itself if a query ever uses them).
'use strict';
const path = require('path');

let loki;
try {
  loki = require(require.resolve('lokijs', { paths: [path.join(__dirname, 'node_modules', 'azurite')] }));
} catch {
  // Azurite not installed here (or it no longer uses LokiJS): nothing to correct.
}

const Collection = loki && loki.Collection;

if (Collection && ['findOne', 'add', 'update', 'remove', 'removeBatchByPositions', 'get', 'flagBinaryIndexesDirty']
  .every(name => typeof Collection.prototype[name] === 'function')) {
  const proto = Collection.prototype;
  const { findOne, add, update, remove, removeBatchByPositions } = proto;

  /** Collections seen, and whether they hold entities (indexed by PartitionKey and RowKey, documents not cloned). */
  const entities = new WeakMap();

  const holdsEntities = collection => {
    let holds = entities.get(collection);
    if (holds === undefined) {
      const indices = collection.binaryIndices || {};
      holds = !collection.cloneObjects && Array.isArray(collection.data)
        && Object.keys(indices).sort().join(',') === 'PartitionKey,RowKey';
      entities.set(collection, holds);
      if (holds) {
        collection.adaptiveBinaryIndices = false;
        collection.flagBinaryIndexesDirty();
      }
    }
    return holds;
  };

  /** A collection's entities by key (a list: two documents of one key may meet for an instant, in a rollback),
   *  valid while the collection's data array is the one it was built from, at that length. */
  const keyed = new WeakMap();

  const isEntity = doc => doc && typeof doc.PartitionKey === 'string' && typeof doc.RowKey === 'string';

  const put = (state, doc) => {
    if (!isEntity(doc)) return;
    let rows = state.partitions.get(doc.PartitionKey);
    if (!rows) state.partitions.set(doc.PartitionKey, rows = new Map());
    const docs = rows.get(doc.RowKey);
    if (!docs) rows.set(doc.RowKey, [doc]);
    else if (!docs.includes(doc)) docs.push(doc);
  };

  const forget = (state, doc) => {
    if (!isEntity(doc)) return;
    const rows = state.partitions.get(doc.PartitionKey);
    const docs = rows && rows.get(doc.RowKey);
    const at = docs ? docs.indexOf(doc) : -1;
    if (at < 0) return;
    docs.splice(at, 1);
    if (docs.length === 0) {
      rows.delete(doc.RowKey);
      if (rows.size === 0) state.partitions.delete(doc.PartitionKey);
    }
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

  /** Runs a LokiJS change; when the maps were up to date before it, brings them up to date after it. */
  const keeping = (collection, change, after) => {
    if (!holdsEntities(collection)) return change();
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
    if (Array.isArray(doc) || !doc || typeof doc.$loki !== 'number') return update.call(this, doc);
    const before = holdsEntities(this) ? this.get(doc.$loki) : null;
    return keeping(this, () => update.call(this, doc), state => {
      const stored = this.get(doc.$loki);
      if (before && before !== stored) forget(state, before);
      if (stored) put(state, stored);
    });
  };

  proto.remove = function (doc) {
    if (Array.isArray(doc)) return remove.call(this, doc);
    const removed = typeof doc === 'number' ? this.get(doc) : doc;
    return keeping(this, () => remove.call(this, doc), state => forget(state, removed));
  };

  proto.removeBatchByPositions = function (positions) {
    const docs = Array.isArray(positions) ? positions.map(p => this.data[p]) : [];
    return keeping(this, () => removeBatchByPositions.call(this, positions), state => {
      for (const doc of docs) forget(state, doc);
    });
  };

  const lookUp = (collection, state, query) => {
    const docs = state.partitions.get(query.PartitionKey)?.get(query.RowKey);
    if (!docs) return null;
    // The last one added that is still the collection's (its keys never change).
    for (let i = docs.length - 1; i >= 0; i--) {
      if (collection.get(docs[i].$loki) === docs[i]) return docs[i];
    }
    return undefined;
  };

  proto.findOne = function (query) {
    if (query && typeof query === 'object' && typeof query.PartitionKey === 'string' && typeof query.RowKey === 'string'
        && Object.keys(query).length === 2 && holdsEntities(this)) {
      const found = lookUp(this, current(this) || build(this), query);
      // undefined: the maps name a document the collection no longer holds; they are rebuilt from the data.
      return found !== undefined ? found : lookUp(this, build(this), query) ?? null;
    }
    return findOne.call(this, query);
  };
}

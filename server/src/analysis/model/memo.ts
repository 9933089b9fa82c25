// Facts several rules ask about the same model, stage or instruction (its Go environment, the
// binaries of the final image, the stages it starts FROM) are computed once per analysis: each is
// kept beside the object it describes and goes away with it. Models are never changed after
// parsing, so a remembered answer cannot go stale; callers must not change what they get back.

/** `compute(key)`, remembered per key object. */
export function perObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) {
      value = compute(key);
      cache.set(key, value);
    }
    return value as V;
  };
}

/** `compute(key, detail)`, remembered per key object and detail (compared with ===). */
export function perObjectAnd<K extends object, D, V>(compute: (key: K, detail: D) => V): (key: K, detail: D) => V {
  const remembered = perOwnedObjectAnd((_owner: undefined, key: K, detail: D) => compute(key, detail));
  return (key, detail) => remembered(undefined, key, detail);
}

/**
 * `compute(owner, key, detail)`, remembered per key object, owner and detail (each compared with
 * ===): for facts of an object that belongs to one owner (a RUN of one model), which the
 * computation needs beside it. The owner is part of the key, so the same object asked about with
 * another owner (a stage of one model under another build site) is computed for that owner.
 * An owner that is an object is held weakly: a stage taken over by the next version's model
 * (reuse.ts) is asked with that model, and must not keep the models before it alive.
 */
export function perOwnedObjectAnd<O, K extends object, D, V>(compute: (owner: O, key: K, detail: D) => V): (owner: O, key: K, detail: D) => V {
  const cache = new WeakMap<K, { objects: WeakMap<object, Map<D, V>>; values: Map<O, Map<D, V>> }>();
  return (owner, key, detail) => {
    let byOwner = cache.get(key);
    if (!byOwner) {
      byOwner = { objects: new WeakMap(), values: new Map() };
      cache.set(key, byOwner);
    }
    const weak = typeof owner === 'object' && owner !== null;
    let byDetail = weak ? byOwner.objects.get(owner) : byOwner.values.get(owner);
    if (!byDetail) {
      byDetail = new Map();
      if (weak) byOwner.objects.set(owner, byDetail);
      else byOwner.values.set(owner, byDetail);
    }
    let value = byDetail.get(detail);
    if (value === undefined && !byDetail.has(detail)) {
      value = compute(owner, key, detail);
      byDetail.set(detail, value);
    }
    return value as V;
  };
}

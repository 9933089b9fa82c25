// Facts several rules ask about the same model, stage or instruction (its Go environment, the
// binaries of the final image, the stages it starts FROM) are computed once per analysis: each is
// kept beside the object it describes and goes away with it. Models are never changed after
// parsing, so a remembered answer cannot go stale; callers must not change what they get back.

/** `compute(key)`, remembered per key object. */
export function perObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}

/** `compute(key, detail)`, remembered per key object and detail (compared with ===). */
export function perObjectAnd<K extends object, D, V>(compute: (key: K, detail: D) => V): (key: K, detail: D) => V {
  const cache = new WeakMap<K, Map<D, V>>();
  return (key, detail) => {
    let byDetail = cache.get(key);
    if (!byDetail) {
      byDetail = new Map();
      cache.set(key, byDetail);
    }
    if (byDetail.has(detail)) return byDetail.get(detail) as V;
    const value = compute(key, detail);
    byDetail.set(detail, value);
    return value;
  };
}

// Counts the work a piece of code does, without a clock: the built-in operations it asks of the
// engine are counted while it runs, by wrapping them for that time only. Deterministic: the same
// input gives the same count on any machine, so "doubling the input doubles the work" is testable.
//
// Counted: regex executions (every String and RegExp method that uses a regex goes through
// RegExp.prototype.exec once it is replaced), steps of array, Map and Set iterators (for...of,
// spread, Array.from, new Map(...)), the elements a callback method such as map/filter/some/find may
// visit (the array's length, an upper bound), Map and Set lookups and inserts, and JSON.parse and
// JSON.stringify by characters (one unit per 64). Plain indexed loops are not seen: the proxy reads
// of work-counter users (see wrapReads) cover the model arrays correlation walks that way.

type Fn = (...args: any[]) => any;

interface Patch {
  target: object;
  key: PropertyKey;
  original: unknown;
}

const CALLBACK_METHODS = [
  'forEach',
  'map',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'reduce',
  'reduceRight',
  'flatMap',
  'includes',
  'indexOf',
  'lastIndexOf',
  'join',
  'fill',
  'slice',
  'concat',
] as const;

export interface Work {
  /** Total counted operations. */
  ops: number;
  /** The same, by kind, to see where the work is. */
  byKind: Record<string, number>;
}

/** Runs fn with the built-ins wrapped; returns its result and the operations it used. */
export function countWork<T>(fn: () => T): { result: T; work: Work } {
  const byKind: Record<string, number> = {};
  let ops = 0;
  const add = (kind: string, n: number): void => {
    ops += n;
    byKind[kind] = (byKind[kind] ?? 0) + n;
  };
  const patches: Patch[] = [];
  const wrap = (target: object, key: PropertyKey, make: (original: Fn) => Fn): void => {
    const original = (target as Record<PropertyKey, unknown>)[key] as Fn;
    patches.push({ target, key, original });
    Object.defineProperty(target, key, { value: make(original), writable: true, configurable: true, enumerable: false });
  };

  wrap(
    RegExp.prototype,
    'exec',
    (orig) =>
      function (this: RegExp, s: string) {
        add('regex', 1);
        return orig.call(this, s);
      },
  );
  for (const [kind, proto] of [
    ['array-iter', Object.getPrototypeOf([][Symbol.iterator]())],
    ['map-iter', Object.getPrototypeOf(new Map()[Symbol.iterator]())],
    ['set-iter', Object.getPrototypeOf(new Set()[Symbol.iterator]())],
    ['string-iter', Object.getPrototypeOf(''[Symbol.iterator]())],
  ] as const) {
    wrap(
      proto as object,
      'next',
      (orig) =>
        function (this: unknown) {
          add(kind, 1);
          return orig.call(this);
        },
    );
  }
  for (const m of CALLBACK_METHODS) {
    wrap(
      Array.prototype,
      m,
      (orig) =>
        function (this: unknown[], ...args: unknown[]) {
          add('array-method', 1 + (this?.length ?? 0));
          return orig.apply(this, args);
        },
    );
  }
  wrap(
    Array.prototype,
    'sort',
    (orig) =>
      function (this: unknown[], ...args: unknown[]) {
        const n = this?.length ?? 0;
        add('sort', 1 + Math.ceil(n * Math.log2(n + 1)));
        return orig.apply(this, args);
      },
  );
  for (const [proto, kind] of [
    [Map.prototype, 'map'],
    [Set.prototype, 'set'],
  ] as const) {
    for (const m of ['get', 'set', 'has', 'add', 'delete'] as const) {
      if (!(m in proto)) continue;
      wrap(
        proto,
        m,
        (orig) =>
          function (this: unknown, ...args: unknown[]) {
            add(kind, 1);
            return orig.apply(this, args);
          },
      );
    }
  }
  wrap(
    JSON,
    'parse',
    (orig) =>
      function (this: unknown, text: string, ...rest: unknown[]) {
        add('json', 1 + Math.ceil(String(text).length / 64));
        return orig.call(this, text, ...rest);
      },
  );
  wrap(
    JSON,
    'stringify',
    (orig) =>
      function (this: unknown, ...args: unknown[]) {
        const out = orig.apply(this, args) as string | undefined;
        add('json', 1 + Math.ceil((out?.length ?? 0) / 64));
        return out;
      },
  );

  try {
    const result = fn();
    return { result, work: { ops, byKind } };
  } finally {
    for (const p of patches.reverse())
      Object.defineProperty(p.target, p.key, { value: p.original, writable: true, configurable: true, enumerable: false });
  }
}

/**
 * A deep copy-free view of a value whose arrays count every element read (indexed reads, iteration,
 * callbacks all read elements through [[Get]]). Objects inside are wrapped as they are reached.
 */
export function wrapReads<T extends object>(value: T, counter: { reads: number }): T {
  const cache = new WeakMap<object, object>();
  const wrapAny = (v: unknown): unknown => (v !== null && typeof v === 'object' ? wrapObj(v as object) : v);
  const wrapObj = (o: object): object => {
    const hit = cache.get(o);
    if (hit) return hit;
    // Maps are read through their methods, which need the real map as `this`: count their lookups instead.
    if (o instanceof Map) {
      const m = o as Map<unknown, unknown>;
      const view = {
        get: (k: unknown) => (counter.reads++, wrapAny(m.get(k))),
        has: (k: unknown) => (counter.reads++, m.has(k)),
        get size() {
          return m.size;
        },
        keys: () => m.keys(),
        values: function* () {
          for (const v of m.values()) counter.reads++, yield wrapAny(v);
        },
        entries: function* () {
          for (const [k, v] of m.entries()) counter.reads++, yield [k, wrapAny(v)];
        },
        [Symbol.iterator]: function* () {
          for (const [k, v] of m.entries()) counter.reads++, yield [k, wrapAny(v)];
        },
        forEach: (f: (v: unknown, k: unknown) => void) =>
          m.forEach((v, k) => {
            counter.reads++;
            f(wrapAny(v), k);
          }),
        set: (k: unknown, v: unknown) => m.set(k, v),
      };
      cache.set(o, view);
      return view;
    }
    const proxy = new Proxy(o, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        // No regex here: countWork would count the counting.
        if (Array.isArray(target) && typeof key === 'string' && key !== '' && String(Number(key)) === key) counter.reads++;
        return wrapAny(v);
      },
    });
    cache.set(o, proxy);
    return proxy;
  };
  return wrapObj(value) as T;
}

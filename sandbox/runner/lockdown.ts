/**
 * The lockdown of a run's QuickJS realm (check integrity: docs/sandbox.md, "Threat model"), evaluated after the
 * prelude and before any attendee code:
 *
 * 1. {@link LOCKDOWN_SOURCE} freezes every intrinsic reachable from the global object and the
 *    hidden ones (iterator, generator and async prototypes, %TypedArray%): `Object`, `Array`,
 *    `Function`, `Math`, `JSON`, `Promise`, `Symbol`, `Reflect`, the typed arrays, the error
 *    types, their prototypes and everything hanging off them. The global object's own properties
 *    become non-writable and non-configurable, so `globalThis.Math = …` fails too. The global
 *    object itself stays extensible (attendee code may add globals of its own).
 * 2. {@link libraryLockdownModule} imports every library module and hardens what they export
 *    (classes, their prototypes, functions), so attendee code cannot patch `Tensor.prototype.data`
 *    under a check either.
 *
 * Assigning to an inherited frozen property fails in strict code ("the override mistake"), which
 * would break ordinary code such as `this.name = "MyError"` in an Error subclass or
 * `obj.toString = …`. As in SES, those few properties become accessors whose setter defines an
 * own property on the receiver (and refuses the prototype itself).
 *
 * `harden(value)` stays available as a global: it freezes a value and everything reachable from
 * it, which only ever protects the caller's own objects.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";

/** Id of the generated module that evaluates and hardens every library module. */
export const LOCKDOWN_MODULE = "scratch/_lockdown";

export const LOCKDOWN_SOURCE = String.raw`
(function () {
  "use strict";
  const O = Object, freeze = O.freeze, getProto = O.getPrototypeOf, describe = O.getOwnPropertyDescriptor;
  const define = O.defineProperty, ownKeys = Reflect.ownKeys, isFrozen = O.isFrozen;
  const SetCtor = Set, setAdd = Set.prototype.add, setHas = Set.prototype.has, apply = Reflect.apply;
  const pushTo = (list, v) => { if ((typeof v === "object" && v !== null) || typeof v === "function") list[list.length] = v; };

  /**
   * Freezes value and everything reachable from it (prototypes, property values, accessors),
   * except \`spare\` (the global object, which stays extensible).
   */
  function hardenExcept(value, spare) {
    const seen = new SetCtor(), todo = [];
    if (spare !== undefined) apply(setAdd, seen, [spare]);
    pushTo(todo, value);
    while (todo.length > 0) {
      const o = todo.pop();
      if (apply(setHas, seen, [o])) continue;
      apply(setAdd, seen, [o]);
      // A module namespace or a non-empty typed array cannot be frozen; their contents still are.
      try { if (!isFrozen(o)) freeze(o); } catch {}
      pushTo(todo, getProto(o));
      const keys = ownKeys(o);
      for (let i = 0; i < keys.length; i++) {
        let d;
        try { d = describe(o, keys[i]); } catch { continue; }
        if (d === undefined) continue;
        if ("value" in d) pushTo(todo, d.value);
        else { pushTo(todo, d.get); pushTo(todo, d.set); }
      }
    }
    return value;
  }
  const harden = (value) => hardenExcept(value, globalThis);

  /** Turns a data property into an accessor pair that lets assignment shadow it on other objects. */
  function enableOverride(proto, key) {
    const d = describe(proto, key);
    if (d === undefined || !("value" in d) || !d.configurable) return;
    const value = d.value;
    const getter = { get [key]() { return value; } };
    const setter = {
      set [key](v) {
        if (this === proto) throw new TypeError("Cannot assign to read only property '" + String(key) + "' of a frozen built-in");
        define(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
    };
    define(proto, key, {
      get: describe(getter, key).get,
      set: describe(setter, key).set,
      enumerable: d.enumerable,
      configurable: false,
    });
  }

  const overridable = [
    // Not Array.prototype.constructor: every map/slice/filter reads it (species), and a getter
    // there costs every array operation a call.
    [Object.prototype, ["constructor", "toString", "valueOf", "toLocaleString", "hasOwnProperty"]],
    [Function.prototype, ["constructor", "toString"]],
  ];
  const errors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
  if (typeof InternalError === "function") errors.push(InternalError);
  if (typeof AggregateError === "function") errors.push(AggregateError);
  for (const E of errors) overridable.push([E.prototype, ["constructor", "name", "message", "toString"]]);
  for (const [proto, keys] of overridable) for (const key of keys) enableOverride(proto, key);

  const hidden = [
    getProto(function* () {}),
    getProto(async function () {}),
    getProto(async function* () {}),
    getProto([][Symbol.iterator]()),
    getProto(new Map().entries()),
    getProto(new Set().values()),
    getProto(""[Symbol.iterator]()),
    getProto(/a/[Symbol.matchAll]("a")),
    getProto(Uint8Array),
  ];
  const g = globalThis;
  for (const key of ownKeys(g)) {
    const d = describe(g, key);
    if ("value" in d) pushTo(hidden, d.value);
    else { pushTo(hidden, d.get); pushTo(hidden, d.set); }
  }
  harden(hidden);
  for (const key of ownKeys(g)) {
    const d = describe(g, key);
    if (!d.configurable) continue;
    define(g, key, "value" in d ? { writable: false, configurable: false } : { configurable: false });
  }
  define(g, "harden", { value: harden, writable: false, enumerable: false, configurable: false });
})();
`;

/** A module that evaluates every library module (before attendee code) and hardens its exports. */
export function libraryLockdownModule(libraryModules: readonly string[]): string {
  const imports = libraryModules.map((id, i) => `import * as m${i} from ${JSON.stringify(id)};`);
  const names = libraryModules.map((_, i) => `m${i}`).join(", ");
  return `${imports.join("\n")}\nharden([${names}]);\n`;
}

/**
 * A guest Error named `name` with `message`, made without assignment: after lockdown, assigning
 * `name` or `message` runs the override setters (guest code, which an interrupt can stop half-way
 * inside a host call), so both are defined as own properties instead.
 */
export function newGuestError(ctx: QuickJSContext, name: string, message: string): QuickJSHandle {
  const error = ctx.newError();
  for (const [key, text] of [
    ["name", name],
    ["message", message],
  ] as const) {
    const value = ctx.newString(text);
    ctx.defineProp(error, key, { value, configurable: true, enumerable: false });
    value.dispose();
  }
  return error;
}

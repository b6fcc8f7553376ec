/**
 * Guest-side set-up evaluated in every fresh context before the attendee's module: the `console`
 * object and, for seeded runs, a deterministic `Math.random`.
 *
 * Formatting happens in the guest on purpose: getters, Proxy traps and toString overrides are
 * guest code, so they run under the guest's own time, memory and stack limits, and the host only
 * ever receives one bounded string per line. The prelude captures the intrinsics it uses, so an
 * attendee who replaces `Object.keys` breaks only their own output.
 */

/** Name of the one-shot global through which the host hands the prelude its console sink. */
export const CONSOLE_SINK = "__scratchroomConsoleSink";

export const PRELUDE_SOURCE = String.raw`
(function (sink, seed) {
  "use strict";
  const MAX_LINE = 10000, MAX_DEPTH = 3, MAX_ITEMS = 100, MAX_KEYS = 50, MAX_STRING = 2000;
  const O = Object, A = Array, S = String, N = Number, J = JSON;
  const keys = O.keys, isArray = A.isArray, getProto = O.getPrototypeOf, hasOwn = O.prototype.hasOwnProperty;
  const objToString = O.prototype.toString, errToString = Error.prototype.toString;
  const TypedArrayProto = getProto(Uint8Array.prototype);
  const isTyped = (v) => { try { return TypedArrayProto.isPrototypeOf(v); } catch { return false; } };
  const call = (fn, self, ...args) => Reflect.apply(fn, self, args);
  const tag = (v) => call(objToString, v);
  const quote = (s) => J.stringify(s.length > MAX_STRING ? s.slice(0, MAX_STRING) + "…" : s);
  const fnName = (f) => { try { const n = f.name; return typeof n === "string" && n ? n : "(anonymous)"; } catch { return "(anonymous)"; } };
  const num = (n) => (O.is(n, -0) ? "-0" : S(n));
  const keyText = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));

  function inspect(v, depth, seen) {
    switch (typeof v) {
      case "string": return quote(v);
      case "number": return num(v);
      case "bigint": return S(v) + "n";
      case "boolean": case "undefined": return S(v);
      case "symbol": return v.toString();
      case "function": return "[Function: " + fnName(v) + "]";
    }
    if (v === null) return "null";
    if (seen.includes(v)) return "[Circular]";
    const t = tag(v);
    if (v instanceof Error) {
      let stack = "";
      try { stack = typeof v.stack === "string" ? v.stack : ""; } catch {}
      return call(errToString, v) + (stack ? "\n" + stack.replace(/\n$/, "") : "");
    }
    if (t === "[object Date]") { try { return v.toISOString(); } catch { return "Invalid Date"; } }
    if (t === "[object RegExp]") return S(v);
    if (t === "[object Promise]") return "Promise {}";
    if (depth > MAX_DEPTH) return isArray(v) ? "[Array]" : "[Object]";
    seen.push(v);
    try {
      if (isArray(v) || isTyped(v)) {
        const len = v.length, n = len < MAX_ITEMS ? len : MAX_ITEMS, parts = [];
        for (let i = 0; i < n; i++) parts.push(i in v ? inspect(v[i], depth + 1, seen) : "<empty>");
        if (len > n) parts.push("… " + (len - n) + " more items");
        const body = "[" + parts.join(", ") + "]";
        return isArray(v) ? body : (v.constructor && v.constructor.name || "TypedArray") + "(" + len + ") " + body;
      }
      if (v instanceof Map || v instanceof Set) {
        const parts = [];
        let i = 0;
        for (const entry of v) {
          if (i++ >= MAX_ITEMS) { parts.push("…"); break; }
          parts.push(v instanceof Map ? inspect(entry[0], depth + 1, seen) + " => " + inspect(entry[1], depth + 1, seen) : inspect(entry, depth + 1, seen));
        }
        return (v instanceof Map ? "Map" : "Set") + "(" + v.size + ") {" + (parts.length ? " " + parts.join(", ") + " " : "") + "}";
      }
      if (t === "[object ArrayBuffer]") return "ArrayBuffer { byteLength: " + v.byteLength + " }";
      const ks = keys(v), parts = [];
      for (let i = 0; i < ks.length && i < MAX_KEYS; i++) parts.push(keyText(ks[i]) + ": " + inspect(v[ks[i]], depth + 1, seen));
      if (ks.length > MAX_KEYS) parts.push("… " + (ks.length - MAX_KEYS) + " more keys");
      let prefix = "";
      const proto = getProto(v);
      if (proto === null) prefix = "[Object: null prototype] ";
      else if (proto !== O.prototype) {
        const c = proto.constructor;
        const name = typeof c === "function" ? fnName(c) : "";
        if (name && name !== "Object") prefix = name + " ";
      }
      return prefix + (parts.length ? "{ " + parts.join(", ") + " }" : "{}");
    } finally {
      seen.pop();
    }
  }

  function show(v) {
    try { return typeof v === "string" ? v : inspect(v, 0, []); }
    catch (e) {
      if (e instanceof InternalError) throw e;
      return "[unprintable]";
    }
  }

  function format(args) {
    let out = "", i = 0;
    if (typeof args[0] === "string" && args.length > 1) {
      i = 1;
      out = args[0].replace(/%[sdifoOc%]/g, (m) => {
        if (m === "%%") return "%";
        if (i >= args.length) return m;
        const a = args[i++];
        switch (m) {
          case "%s": return show(a);
          case "%d": case "%i": return typeof a === "bigint" ? S(a) + "n" : num(Math.trunc(N(a)));
          case "%f": return num(N(a));
          case "%c": return "";
          default: return show(a);
        }
      });
    } else if (args.length > 0) {
      out = show(args[0]);
      i = 1;
    }
    for (; i < args.length; i++) {
      out += " " + show(args[i]);
      if (out.length > MAX_LINE) break;
    }
    return out.length > MAX_LINE ? out.slice(0, MAX_LINE) + "… (line truncated)" : out;
  }

  // The host reads strings as C strings, so a NUL would cut the line short: show it as "␀".
  const make = (level) => function () { sink(level, format(A.from(arguments)).replace(/\0/g, "\u2400")); };
  const log = make("log");
  const console = { log, info: make("info"), warn: make("warn"), error: make("error"), debug: log, trace: log };
  O.defineProperty(globalThis, "console", { value: console, writable: true, configurable: true, enumerable: false });

  if (typeof seed === "number") {
    // sfc32 seeded through splitmix32: small, fast and good enough for teaching.
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    let a = split(), b = split(), c = split(), d = split();
    const random = function random() {
      a |= 0; b |= 0; c |= 0; d |= 0;
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    };
    O.defineProperty(Math, "random", { value: random, writable: true, configurable: true, enumerable: false });
  }
})(globalThis.${CONSOLE_SINK}, globalThis.__host.seed);
delete globalThis.${CONSOLE_SINK};
`;

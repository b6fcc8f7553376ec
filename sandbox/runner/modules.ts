/**
 * The module graph of one run: the attendee's module, the check modules, and the library's
 * modules, with the import rule of docs/sandbox.md, "Modules" enforced in QuickJS's module normalizer:
 *
 * - attendee and check modules may import only the specifiers the run allows (plus the umbrella
 *   "scratch", which re-exports only what is allowed) and the pack's own modules ("pack/<name>");
 *   check modules may also import "attempt", the attendee's module;
 * - pack modules import under the attendee's rule, except "attempt";
 * - library modules may import each other freely;
 * - check modules importing the library's check module (directly or through "scratch") get a
 *   private instance of it, the only one that can import the run's check token; every other
 *   importer gets the public instance, whose token is null (see HostLibrary.checkModule);
 * - the lockdown module (lockdown.ts) imports every library module before attendee code runs;
 * - nothing else resolves: no relative paths, no URLs, no host files.
 *
 * TypeScript sources have their types stripped by sucrase, which keeps line numbers, so errors
 * still point at the attendee's own lines.
 */
import type { CheckModule, RunRequest } from "../events.js";
import { CHECK_TOKEN_MODULE, type HostLibrary } from "../kernel/types.js";
import { LOCKDOWN_MODULE, libraryLockdownModule } from "./lockdown.js";

export const UMBRELLA = "scratch";
export const ATTEMPT = "attempt";
/** What a pack module's specifier looks like: "pack/" and a lower-case name. */
export const PACK_MODULE_NAME = /^pack\/[a-z][a-z0-9-]{0,39}$/;

/** One guest module the run evaluates itself (as opposed to library modules it imports). */
export interface UserModule {
  id: string;
  source: string;
  check?: CheckModule;
}

/** Suffix of the check modules' private instances ("scratch/check#checks", "scratch#checks"). */
const PRIVATE = "#checks";

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

export class ImportDenied extends Error {}

export type StripTypes = (source: string, filename: string) => string;

/** Whether a request has TypeScript to strip (the attendee's file or a `.ts` check module). */
export function needsTypeStripping(request: RunRequest): boolean {
  return (
    request.language === "ts" ||
    (request.language === undefined && request.filename?.endsWith(".ts") === true) ||
    (request.checks ?? []).some((c) => typeof c.name === "string" && c.name.endsWith(".ts"))
  );
}

/**
 * Loads sucrase on first use only: it is the largest thing a worker would otherwise load at
 * start-up, and most runs are JavaScript.
 */
export async function loadTypeStripper(): Promise<StripTypes> {
  const { transform } = await import("sucrase");
  return (source, filename) =>
    transform(source, {
      transforms: ["typescript"],
      disableESTransforms: true,
      keepUnusedImports: false,
      filePath: filename,
    }).code;
}

/**
 * Appended to a pack module's source (after its last line, so its line numbers stand): once its
 * body has run, and before any importer's does, its exports are hardened (lockdown.ts), so the
 * attendee's code cannot change given code or data (a `truth` object, a `grid`) a check uses.
 */
function packHardening(id: string): string {
  return `\n;import * as __scratchroomPackSelf from ${JSON.stringify(id)};\nharden(__scratchroomPackSelf);\n`;
}

export class ModuleGraph {
  readonly attendee: UserModule;
  readonly checks: UserModule[];
  /** The pack's own modules, by specifier. */
  readonly pack: ReadonlyMap<string, string>;
  readonly allowed: ReadonlySet<string>;
  /** Names of the attendee's and check modules, for locating errors in stacks. */
  readonly userIds: ReadonlySet<string>;
  /** The specifiers the guest tried to import and was refused, in order. */
  readonly denied: string[] = [];
  private readonly umbrellaSource: string;
  /**
   * quickjs-emscripten replaces a normalizer's error by a load of "" (an empty module name), so
   * the loader re-raises the refusal from here to keep the attendee's message.
   */
  private lastDenial: string | undefined;

  /**
   * @param checkToken the run's secret check token, importable only by the check modules' private
   *   instance of the library's check module
   */
  constructor(
    private readonly library: HostLibrary,
    request: RunRequest,
    stripTypes?: StripTypes,
    readonly checkToken: string = "",
  ) {
    const strip: StripTypes = (source, filename) => {
      if (!stripTypes) throw new Error("TypeScript support was not loaded for this run");
      return stripTypes(source, filename);
    };
    const allowed = (request.allowedModules ?? library.publicModules).filter(
      (s) => typeof s === "string" && Object.prototype.hasOwnProperty.call(library.modules, s),
    );
    this.allowed = new Set(allowed);
    this.umbrellaSource = library.umbrella([...this.allowed]);

    const taken = new Set<string>([UMBRELLA, ATTEMPT]);
    const pick = (name: string | undefined, fallback: string): string => {
      const ok =
        name !== undefined &&
        SAFE_NAME.test(name) &&
        !taken.has(name) &&
        !name.startsWith(`${UMBRELLA}`) &&
        !Object.prototype.hasOwnProperty.call(library.modules, name);
      let id = ok ? name : fallback;
      for (let i = 2; taken.has(id); i++) id = `${fallback.replace(/\.(js|ts)$/, "")}-${i}.js`;
      taken.add(id);
      return id;
    };

    const language = request.language ?? (request.filename?.endsWith(".ts") ? "ts" : "js");
    const id = pick(request.filename, language === "ts" ? "main.ts" : "main.js");
    const source = String(request.source ?? "");
    this.attendee = { id, source: language === "ts" ? strip(source, id) : source };
    this.checks = (request.checks ?? []).map((check, i) => {
      const checkId = pick(check.name, `check-${i + 1}.js`);
      const text = String(check.source ?? "");
      return { id: checkId, source: checkId.endsWith(".ts") ? strip(text, checkId) : text, check };
    });
    const pack = new Map<string, string>();
    for (const [name, text] of Object.entries(request.packModules ?? {})) {
      if (PACK_MODULE_NAME.test(name) && typeof text === "string") pack.set(name, text);
    }
    this.pack = pack;
    // Pack modules count as the run's own code, so an error thrown in one is located in it.
    this.userIds = new Set([this.attendee.id, ...this.checks.map((c) => c.id), ...pack.keys()]);
  }

  isLibraryModule(id: string): boolean {
    return id === UMBRELLA || Object.prototype.hasOwnProperty.call(this.library.modules, id);
  }

  /** The private instance of the library's check module, when the library has one. */
  private get privateCheck(): string | undefined {
    const id = this.library.checkModule;
    return id !== undefined && this.isLibraryModule(id) ? id + PRIVATE : undefined;
  }

  /** Library modules, the lockdown module and the check modules' private instances. */
  private isTrusted(id: string): boolean {
    return (
      this.isLibraryModule(id) ||
      id === LOCKDOWN_MODULE ||
      (this.privateCheck !== undefined && (id === this.privateCheck || id === UMBRELLA + PRIVATE))
    );
  }

  /** QuickJS module normalizer: decides what `import x from requested` in `base` refers to. */
  resolve(base: string, requested: string): string {
    const privateCheck = this.privateCheck;
    if (requested === CHECK_TOKEN_MODULE && this.isTrusted(base)) {
      return base === privateCheck ? CHECK_TOKEN_MODULE + PRIVATE : CHECK_TOKEN_MODULE;
    }
    if (privateCheck !== undefined && requested === this.library.checkModule) {
      const fromCheck = this.checks.some((c) => c.id === base) && this.allowed.has(requested);
      if (fromCheck || base === UMBRELLA + PRIVATE) return privateCheck;
    }
    if (this.isTrusted(base)) {
      if (this.isLibraryModule(requested)) return requested;
      throw new ImportDenied(`Cannot import "${requested}" from ${base}: no such library module.`);
    }
    if (requested === UMBRELLA && privateCheck !== undefined && this.checks.some((c) => c.id === base)) {
      return UMBRELLA + PRIVATE;
    }
    if (requested === UMBRELLA || this.allowed.has(requested) || this.pack.has(requested)) return requested;
    if (requested === ATTEMPT && this.checks.some((c) => c.id === base)) return this.attendee.id;
    this.denied.push(requested);
    const allowed = [UMBRELLA, ...this.allowed, ...this.pack.keys()].map((s) => `"${s}"`).join(", ");
    this.lastDenial = `Cannot import "${requested.slice(0, 200)}": this task allows only ${allowed}.`;
    throw new ImportDenied(this.lastDenial);
  }

  /** QuickJS module loader: the source of a resolved module id. */
  load(id: string): string {
    if (id === UMBRELLA) return this.umbrellaSource;
    if (id === LOCKDOWN_MODULE) return libraryLockdownModule(Object.keys(this.library.modules));
    if (id === CHECK_TOKEN_MODULE) return "export const token = null;\n";
    if (id === CHECK_TOKEN_MODULE + PRIVATE)
      return `export const token = ${JSON.stringify(this.checkToken)};\n`;
    const checkModule = this.library.checkModule;
    if (checkModule !== undefined && id === this.privateCheck)
      return this.library.modules[checkModule] as string;
    // The same source; its import of the check module resolves to the private instance.
    if (checkModule !== undefined && id === UMBRELLA + PRIVATE) return this.umbrellaSource;
    if (id === this.attendee.id) return this.attendee.source;
    const given = this.pack.get(id);
    if (given !== undefined) return given + packHardening(id);
    if (Object.prototype.hasOwnProperty.call(this.library.modules, id)) {
      return this.library.modules[id] as string;
    }
    throw new ImportDenied(this.lastDenial ?? `Cannot load module "${id.slice(0, 200)}".`);
  }
}

/**
 * The pack commands' shared argument handling (`preview`, `new-pack`, `verify`): node:util's
 * parseArgs with `--help`/`-h` on every command; bad arguments print the error and the usage on
 * stderr (exit code 2), `--help` prints the usage on stdout (exit code 0).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h", default: false } } as const;

type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof HELP }>
>;

/** The parsed command line, or the exit code the command ends with (help shown, or bad arguments). */
export function parseCommandLine<const O extends Options>(
  argv: string[],
  usage: string,
  options: O,
): Parsed<O> | number {
  let args: Parsed<O>;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { ...options, ...HELP } });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  if ((args.values as { help?: boolean }).help === true) {
    console.log(usage);
    return 0;
  }
  return args;
}

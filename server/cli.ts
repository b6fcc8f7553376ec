/**
 * The `scratchroom` command line: `serve`, `run FILE`, `verify [PACK…]`, `preview PACK [TASK…]`,
 * `new-pack ID`, `new-session PACK`.
 *
 * Each command lives in its own module and is loaded only when called, so `scratchroom run`
 * never pays for the server's start-up and `serve` never loads the sandbox CLI.
 */

interface Command {
  summary: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  main(argv: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  serve: {
    summary: "start the server; prints a demo session's host and join links",
    main: async (argv) => (await import("./serve.js")).main(argv),
  },
  verify: {
    summary: "run every task's reference and starter against its checks: verify [PACK…] [--json]",
    main: async (argv) => (await import("./packs/verify-cli.js")).main(argv),
  },
  preview: {
    summary: "show what attendees see for each task's starter and reference: preview PACK [TASK…]",
    main: async (argv) => (await import("./packs/preview-cli.js")).main(argv),
  },
  "new-pack": {
    summary: "scaffold a working pack to edit: new-pack ID [--dir PARENT] [--title TITLE]",
    main: async (argv) => (await import("./packs/new-pack-cli.js")).main(argv),
  },
  "new-session": {
    summary: "create a session on a running server: new-session PACK [--server URL]",
    main: async (argv) => (await import("./new-session.js")).main(argv),
  },
  run: {
    summary:
      "run FILE [--pack DIR] [--task ID] [--timeout MS] [--memory MB] [--seed N]: run code headless, as its task runs in the room",
    main: async (argv) =>
      (await import("../sandbox/cli/run.js")).main(
        argv,
        (await import("./packs/task-context.js")).taskContext,
      ),
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`);
  return ["usage: scratchroom <command> [options]", "", "commands:", ...lines].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`scratchroom: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);

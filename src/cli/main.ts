/** `hearth`: argv → command. Each command lives in ./commands/. */
import yargs from "yargs";
import { isHearthError } from "../shared/errors.js";
import { registerAnalyticsCommands } from "./commands/analytics.js";
import { registerD1Commands } from "./commands/d1.js";
import { registerDevCommand } from "./commands/dev.js";
import { registerKvCommands } from "./commands/kv.js";
import { registerR2Commands } from "./commands/r2.js";
import { registerPagesDevCommand } from "./commands/pages-dev.js";
import { registerQueuesCommands } from "./commands/queues.js";
import { VERSION } from "./version.js";

export async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName("hearth")
    .version(VERSION)
    .strict()
    .demandCommand(1, "Say which command to run (see hearth --help).")
    .recommendCommands()
    .parserConfiguration({ "camel-case-expansion": false })
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((message, error) => {
      if (error) throw error;
      process.stderr.write(`✘ [ERROR] ${message}\n\nRun "hearth --help" for the commands and flags.\n`);
      process.exit(1);
    });
  registerDevCommand(cli);
  registerPagesDevCommand(cli);
  registerKvCommands(cli);
  registerD1Commands(cli);
  registerR2Commands(cli);
  registerQueuesCommands(cli);
  registerAnalyticsCommands(cli);
  try {
    await cli.parseAsync();
  } catch (error) {
    if (isHearthError(error)) {
      process.stderr.write(`✘ [ERROR] ${error.message}\n`);
    } else {
      process.stderr.write(`✘ [ERROR] ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exit(1);
  }
}

/** A yargs instance set up like `hearth`'s (strict, no camel-case copies) that throws instead of exiting: for running commands in-process in tests. */
import yargs, { type Argv } from "yargs";

export function testCli(): Argv {
  return yargs()
    .exitProcess(false)
    .strict()
    .parserConfiguration({ "camel-case-expansion": false })
    .fail((message, error) => {
      throw error ?? new Error(message);
    });
}

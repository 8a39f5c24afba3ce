/**
 * loadgate: load-test an HTTP inference endpoint and gate on a latency SLA.
 *
 * ```sh
 * deno task run_tests                 # the main job against the built-in stub
 * deno run main.ts --help            # no permission needed
 * ```
 *
 * @module
 */

import { main } from "./lib/cli/cli.ts";

export { main };

if (import.meta.main) Deno.exit(await main(Deno.args));

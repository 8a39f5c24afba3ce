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

/**
 * The job's stub process runs `stub_server.ts` under `deno run` (lib/stub/spawn.ts), apart from
 * main.ts's graph of every command; named here, so that `deno install` and `deno cache` of main.ts
 * fetch it too and a job run from an installed or cached URL starts its stub offline. Not called.
 */
export const stubServerModule = (): Promise<unknown> => import("./stub_server.ts");

if (import.meta.main) Deno.exit(await main(Deno.args));

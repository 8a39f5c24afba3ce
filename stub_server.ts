/**
 * The stub inference endpoint's entry point; the stub itself is the package
 * under `lib/stub/` (`lib/stub/server.ts`).
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 stub_server.ts --mode serialized --port 0
 * ```
 *
 * @module
 */

import { stubMain } from "./lib/stub/stub_main.ts";

export { stubMain };

if (import.meta.main) Deno.exit(await stubMain(Deno.args));

/**
 * Permission checks made before a run starts. Without them a missing
 * `--allow-net` would not stop anything: every request would fail inside
 * `fetch` and be logged as a `connect` failure, and the verdict would blame
 * the server. Checked first, it is one clear line and exit 2.
 *
 * @module
 */

import { UsageError } from "../../base/errors.ts";

/** The part of `Deno.permissions` used here; injected by tests. */
export interface PermissionsApi {
  querySync: (desc: Deno.PermissionDescriptor) => Deno.PermissionStatus;
  requestSync: (desc: Deno.PermissionDescriptor) => Deno.PermissionStatus;
}

/** The `host:port` a request to `url` needs network permission for. */
export function netHostOf(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  return `${u.hostname}:${port}`;
}

/**
 * True when `desc` is granted. A "prompt" state is asked on an interactive
 * terminal (Deno shows its prompt) and counts as denied otherwise, so that a
 * CI job never waits on a question nobody can answer.
 */
export function isGranted(
  desc: Deno.PermissionDescriptor,
  api: PermissionsApi = Deno.permissions,
  interactive: boolean = Deno.stdin.isTerminal(),
): boolean {
  const state = api.querySync(desc).state;
  if (state === "granted") return true;
  if (state === "prompt" && interactive) return api.requestSync(desc).state === "granted";
  return false;
}

/** Throws {@linkcode UsageError} unless requests to `url` may be sent. */
export function ensureNetAccess(
  url: string,
  api: PermissionsApi = Deno.permissions,
  interactive: boolean = Deno.stdin.isTerminal(),
): void {
  const host = netHostOf(url);
  if (!isGranted({ name: "net", host }, api, interactive)) {
    throw new UsageError(
      `Missing permission: network access to "${host}" was not granted ` +
        `(run with --allow-net=${host})`,
    );
  }
}

/**
 * Throws {@linkcode UsageError} unless the main job may do what it does:
 * listen and connect on 127.0.0.1 (any port: the stub takes a free one) and
 * run `execPath` (deno, or the compiled binary itself) for the stub.
 */
export function ensureJobAccess(
  execPath: string,
  api: PermissionsApi = Deno.permissions,
  interactive: boolean = Deno.stdin.isTerminal(),
): void {
  if (!isGranted({ name: "net", host: "127.0.0.1" }, api, interactive)) {
    throw new UsageError(
      'Missing permission: network access to "127.0.0.1" (any port) was not granted ' +
        "(run with --allow-net=127.0.0.1)",
    );
  }
  if (!isGranted({ name: "run", command: execPath }, api, interactive)) {
    throw new UsageError(
      `Missing permission: running "${execPath}" (for the stub) was not granted ` +
        `(run with --allow-run=${execPath})`,
    );
  }
}

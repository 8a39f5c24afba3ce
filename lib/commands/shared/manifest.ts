/**
 * The manifest: what produced a result (tool, runtime, machine, seed, load),
 * so a reader can tell whether two results are comparable.
 *
 * @module
 */

import { VERSION } from "../../base/version.ts";

/** Provenance of a run. */
export interface Manifest {
  tool: string;
  tool_version: string;
  deno_version: string;
  os: string;
  arch: string;
  /** Logical CPUs; the load generator and a local server share them. */
  cpus: number;
  started_at: string;
  [key: string]: unknown;
}

/** A manifest for a run starting now, with `extra` fields (seed, load, ...). */
export function makeManifest(extra: Record<string, unknown>, now: Date = new Date()): Manifest {
  return {
    tool: "loadgate",
    tool_version: VERSION,
    deno_version: Deno.version.deno,
    os: Deno.build.os,
    arch: Deno.build.arch,
    cpus: navigator.hardwareConcurrency,
    started_at: now.toISOString(),
    ...extra,
  };
}

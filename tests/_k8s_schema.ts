// deno-lint-ignore-file no-import-prefix -- loadgate has no import map (it runs by URL); as lib/base/deps.ts, full pinned specifiers
/**
 * Kubernetes' own schemas, for tests only (so that loadgate itself never loads
 * them): kubernetes-models validates an object against the OpenAPI schema of
 * its kind, and js-yaml (which reads no environment, unlike yaml) reads the written manifests back. Pinned; not a test file.
 */
import { ConfigMap } from "npm:kubernetes-models@5.1.0/v1/ConfigMap";
import { PersistentVolumeClaim } from "npm:kubernetes-models@5.1.0/v1/PersistentVolumeClaim";
import { Job } from "npm:kubernetes-models@5.1.0/batch/v1/Job";
import { loadAll } from "npm:js-yaml@4.1.1";

// deno-lint-ignore no-explicit-any
const KINDS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/ConfigMap": ConfigMap,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "batch/v1/Job": Job,
};

/** Validates `object` against the schema of its apiVersion and kind; throws naming the field. */
export function validateManifest(object: Record<string, unknown>): void {
  const Model = KINDS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`No schema here for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

/** The documents of a YAML stream, as plain data. */
export function readYamlDocuments(text: string): Record<string, unknown>[] {
  return loadAll(text) as Record<string, unknown>[];
}

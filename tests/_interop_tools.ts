/**
 * Third-party validators the interop tests use, loaded on demand: a test that
 * needs one is ignored, with the reason printed, when it cannot be installed.
 */

/** Loads `specifier`, or returns the reason it could not be loaded. */
export async function optionalImport<T>(specifier: string): Promise<T | string> {
  try {
    return await import(specifier) as T;
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return `cannot load ${specifier}: ${why}`;
  }
}

/** Prints why a test is ignored and returns true when `loaded` is a reason. */
export function ignoredBecause(loaded: unknown, test: string): boolean {
  if (typeof loaded !== "string") return false;
  console.log(`ignored "${test}": ${loaded}`);
  return true;
}

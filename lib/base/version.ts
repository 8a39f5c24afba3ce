/**
 * loadgate's version, kept in code (not read from deno.json at run time) so
 * that a compiled binary or a run by URL needs no file beside main.ts.
 *
 * @module
 */

/** The tool version written into every manifest. */
export const VERSION = "0.1.0";

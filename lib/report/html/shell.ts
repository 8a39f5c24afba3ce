/**
 * The shell of loadgate's HTML pages (the run report and the sweep report):
 * the head with the security policy and the stylesheets, the data block, the
 * vendored uPlot and the page's script, and the escaping they all rely on.
 *
 * @module
 */

import { UPLOT_CSS, UPLOT_JS, UPLOT_LICENSE, UPLOT_VERSION } from "../../base/vendor/uplot.ts";
import { PAGE_CSS } from "./page.ts";

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Inline script text that cannot end its element early. */
export function inlineScript(text: string): string {
  if (/<\/script|<!--/i.test(text)) {
    throw new Error("Cannot inline a script that contains </script or <!--");
  }
  return text;
}

/** The reports' Content-Security-Policy: inline code only, no fetch of any kind. */
export const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; " +
  "img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

/** A page: its title (HTML), what `<main>` holds, the data block, and the script drawing it. */
export interface PageParts {
  /** The `<title>` text, already escaped. */
  title: string;
  /** The content of `<main>`, HTML. */
  body: string;
  /** The JSON data block the script reads (`#loadgate-data`). */
  data: unknown;
  /** The page script, inlined after uPlot. */
  script: string;
  /** A one-phase report's phase (`run`), marked so a later run knows whose it is. */
  phase?: string;
}

/** The `<meta>` naming a one-phase report's phase. */
export const PHASE_META = "loadgate-phase";

/** One self-contained page: nothing is fetched (see {@linkcode CSP}). */
export function pageShell(p: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">${
    p.phase === undefined ? "" : `\n<meta name="${PHASE_META}" content="${escapeHtml(p.phase)}">`
  }
<title>${p.title}</title>
<style>${UPLOT_CSS}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
${p.body}
</main>
<script id="loadgate-data" type="application/json">${scriptJson(p.data)}</script>
<script>
/* uPlot ${UPLOT_VERSION}, https://github.com/leeoniya/uPlot
${UPLOT_LICENSE.replace(/\*\//g, "* /")}
*/
${inlineScript(UPLOT_JS)}
</script>
<script>${inlineScript(p.script)}</script>
</body>
</html>
`;
}

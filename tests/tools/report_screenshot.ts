/**
 * Takes a screenshot of a report for the README: opens REPORT.html in headless
 * Chromium (see tests/_browser.ts), waits for its plots, and writes the
 * whole page as a PNG (through pngquant when installed, to keep it small).
 *
 * An optional third argument `FIRST[,LAST]` names the sections (their ids) to keep: the
 * shot then runs from the top of FIRST to the bottom of LAST (or of FIRST).
 *
 * ```sh
 * deno task run_tests
 * deno run --allow-run --allow-read --allow-write --allow-env --allow-net=127.0.0.1 \
 *   tests/tools/report_screenshot.ts \
 *   results/report.html tests/fixtures/report.png
 * ```
 *
 * @module
 */

import { Browser, findChromium, type Page } from "../_browser.ts";

/** CSS width of the page: two plots side by side, as on a laptop. */
const WIDTH = 1000;
/** Pixel scale: 880 px wide, about what a README shows without shrinking it. */
const SCALE = 0.88;

if (import.meta.main) {
  const [report, out, sections] = Deno.args;
  if (!report || !out) {
    console.error("usage: report_screenshot.ts REPORT.html OUT.png [FIRST_SECTION[,LAST_SECTION]]");
    Deno.exit(2);
  }
  const chromium = findChromium();
  if (!chromium) {
    console.error("Chromium is not installed (apt-get install chromium)");
    Deno.exit(1);
  }
  const browser = await Browser.launch(chromium);
  try {
    const page = await browser.newPage(WIDTH, 900);
    await page.goto(new URL(`file://${await Deno.realPath(report)}`).href);
    await page.waitFor("window.loadgateReport && window.loadgateReport.ready");
    if (page.events.errors.length > 0) throw new Error(page.events.errors.join("\n"));
    await Deno.writeFile(out, await page.screenshot(SCALE, await rowsOf(page, sections)));
    // Shrink it to a palette PNG when Debian's pngquant is there (about a third of the size).
    // A missing pngquant throws from output() itself, not from its promise.
    const quant = await (async () => {
      try {
        return await new Deno.Command("pngquant", {
          args: ["--quality", "70-90", "--speed", "1", "--force", "--output", out, out],
        }).output();
      } catch {
        return null;
      }
    })();
    if (!quant?.success) console.log("pngquant not installed: the PNG is left as captured");
    console.log(`wrote ${out}: ${(await Deno.stat(out)).size} bytes`);
  } finally {
    await browser.close();
  }
}

/** The page rows from the top of section `first` to the bottom of `last`; all without `spec`. */
async function rowsOf(
  page: Page,
  spec?: string,
): Promise<{ from: number; to: number } | undefined> {
  if (!spec) return undefined;
  const [first, last = first] = spec.split(",");
  const box = (id: string) =>
    page.evaluate<number[] | null>(`(() => {
      const r = document.getElementById(${JSON.stringify(id)})?.getBoundingClientRect();
      return r ? [r.top + scrollY, r.bottom + scrollY] : null;
    })()`);
  const [a, b] = [await box(first!), await box(last!)];
  if (!a || !b) throw new Error(`No section ${!a ? first : last} in the page`);
  return { from: Math.floor(a[0]! - 8), to: Math.ceil(b[1]! + 8) };
}

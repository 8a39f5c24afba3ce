/**
 * Headless Chromium driven over its DevTools protocol (a WebSocket), for the
 * report's browser test and the README screenshot. Not a test file itself.
 *
 * Everything is bounded: the browser must announce its DevTools endpoint
 * within 20 s, each command must answer within 20 s, and `close()` kills
 * the process and removes its profile folder.
 */

/**
 * Chromium's flags: headless, no GPU, no sandbox (we run as root), one process, no traffic of its
 * own.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--mute-audio",
  "--hide-scrollbars",
  // One process for browser, renderer and the rest: the report tests open a page at a time, and a
  // process a role cost about twice the CPU (12 s against 7 s for the suite's pages, 2026-12-05).
  "--single-process",
  "--no-zygote",
  // Belt and braces: were anything to try the network, it would meet a closed local port.
  "--proxy-server=127.0.0.1:9",
  "--remote-debugging-port=0",
];

/** Where Chromium is: $LOADGATE_CHROMIUM, or Debian's /usr/bin/chromium; null when absent. */
export function findChromium(): string | null {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("LOADGATE_CHROMIUM");
  } catch {
    fromEnv = undefined;
  }
  for (const path of [fromEnv, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (!path) continue;
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not there
    }
  }
  return null;
}

const COMMAND_TIMEOUT_MS = 20_000;

type Json = Record<string, unknown>;
type Listener = (params: Json) => void;

/** A browser process and its DevTools connection. */
export class Browser {
  #child: Deno.ChildProcess;
  #ws: WebSocket;
  #profile: string;
  #drain: Promise<void>;
  #nextId = 1;
  #pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  #listeners = new Map<string, Listener[]>();
  #closed = false;
  /** Chromium's stderr, for diagnostics when something fails. */
  log = "";

  private constructor(
    child: Deno.ChildProcess,
    ws: WebSocket,
    profile: string,
    drain: Promise<void>,
  ) {
    this.#child = child;
    this.#ws = ws;
    this.#profile = profile;
    this.#drain = drain;
    ws.onmessage = (e) => this.#onMessage(String(e.data));
    ws.onclose = () => {
      for (const p of this.#pending.values()) p.reject(new Error("DevTools connection closed"));
      this.#pending.clear();
    };
  }

  /**
   * Starts Chromium at `path` and connects to it. A start that announces no DevTools endpoint
   * within 40 s is killed and tried once more: on a busy 2-core CI machine a cold Chromium has
   * hung past a minute once (2026-12-02), then started in seconds when the test ran again.
   */
  static async launch(path: string): Promise<Browser> {
    let started = await startChromium(path);
    if (!started.url) {
      await killAndWait(started.child, started.drain);
      await Deno.remove(started.profile, { recursive: true }).catch(() => {});
      started = await startChromium(path);
    }
    const { child, drain, profile, url } = started;
    const log = started.log();
    if (!url) {
      await killAndWait(child, drain);
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw new Error(`Chromium did not announce its DevTools endpoint, twice:\n${log}`);
    }
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error(`Cannot connect to ${url}`));
      });
    } catch (err) {
      await killAndWait(child, drain);
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw err;
    }
    const browser = new Browser(child, ws, profile, drain);
    browser.log = log;
    return browser;
  }

  #onMessage(text: string): void {
    const msg = JSON.parse(text) as {
      id?: number;
      result?: Json;
      error?: { message: string };
      method?: string;
      params?: Json;
      sessionId?: string;
    };
    if (msg.id !== undefined) {
      const p = this.#pending.get(msg.id);
      this.#pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`DevTools: ${msg.error.message}`));
      else p?.resolve(msg.result ?? {});
      return;
    }
    if (msg.method) {
      const key = `${msg.sessionId ?? ""}:${msg.method}`;
      for (const l of this.#listeners.get(key) ?? []) l(msg.params ?? {});
    }
  }

  /** Sends a DevTools command (to a page when `sessionId` is given). */
  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    if (this.#closed) return Promise.reject(new Error("browser closed"));
    const id = this.#nextId++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answer = new Promise<Json>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`DevTools ${method} did not answer within ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
    });
    this.#ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return answer.finally(() => clearTimeout(timer));
  }

  /** Calls `listener` for each event `method` of session `sessionId`. */
  on(sessionId: string, method: string, listener: Listener): void {
    const key = `${sessionId}:${method}`;
    this.#listeners.set(key, [...(this.#listeners.get(key) ?? []), listener]);
  }

  /** Opens a new page (tab) and returns its session. */
  async newPage(width = 1280, height = 900): Promise<Page> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this, String(sessionId));
    await page.init(width, height);
    return page;
  }

  /** Kills the browser, waits for it, removes its profile. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closedWs = new Promise<void>((r) => {
      if (this.#ws.readyState === WebSocket.CLOSED) r();
      else this.#ws.addEventListener("close", () => r());
    });
    this.#ws.close();
    await Promise.race([closedWs, new Promise((r) => setTimeout(r, 2000))]);
    await killAndWait(this.#child, this.#drain);
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}

async function killAndWait(child: Deno.ChildProcess, drain: Promise<void>): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
  await child.status;
  await drain;
}

/** What a page did that a self-contained report must not do. */
export interface PageEvents {
  /** Every URL the page requested (the document itself included). */
  requests: string[];
  /** Uncaught exceptions and console errors. */
  errors: string[];
}

/** One page of the browser. */
export class Page {
  #browser: Browser;
  #session: string;
  /** What happened on the page so far. */
  events: PageEvents = { requests: [], errors: [] };

  constructor(browser: Browser, session: string) {
    this.#browser = browser;
    this.#session = session;
  }

  /** Turns on the domains whose events we watch and sets the viewport. */
  async init(width: number, height: number): Promise<void> {
    const b = this.#browser;
    const s = this.#session;
    b.on(s, "Network.requestWillBeSent", (p) => {
      this.events.requests.push(String((p.request as { url?: string } | undefined)?.url));
    });
    b.on(s, "Runtime.exceptionThrown", (p) => {
      const d = p.exceptionDetails as { text?: string; exception?: { description?: string } };
      this.events.errors.push(`exception: ${d.exception?.description ?? d.text ?? "?"}`);
    });
    b.on(s, "Runtime.consoleAPICalled", (p) => {
      if (p.type === "error" || p.type === "assert") {
        const args = (p.args as { value?: unknown; description?: string }[] | undefined) ?? [];
        this.events.errors.push(
          `console.${p.type}: ${args.map((a) => String(a.value ?? a.description)).join(" ")}`,
        );
      }
    });
    b.on(s, "Log.entryAdded", (p) => {
      const e = p.entry as { level?: string; text?: string; url?: string };
      if (e.level === "error") this.events.errors.push(`log: ${e.text} ${e.url ?? ""}`.trim());
    });
    for (const domain of ["Page", "Runtime", "Network", "Log"]) {
      await b.send(`${domain}.enable`, {}, s);
    }
    await b.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    }, s);
  }

  /** Loads `url` and waits for its load event. */
  async goto(url: string): Promise<void> {
    let loaded: () => void = () => {};
    const load = new Promise<void>((r) => (loaded = r));
    this.#browser.on(this.#session, "Page.loadEventFired", () => loaded());
    const result = await this.#browser.send("Page.navigate", { url }, this.#session);
    if (result.errorText) throw new Error(`Cannot open ${url}: ${result.errorText}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      load,
      new Promise((_, reject) =>
        timer = setTimeout(() => reject(new Error(`${url} did not load within 20 s`)), 20_000)
      ),
    ]).finally(() => clearTimeout(timer));
  }

  /** Evaluates `expression` in the page and returns its value (JSON-serializable). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.#browser.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    }, this.#session);
    if (r.exceptionDetails) {
      throw new Error(`evaluate failed: ${JSON.stringify(r.exceptionDetails).slice(0, 500)}`);
    }
    return (r.result as { value: T }).value;
  }

  /** Polls `expression` until it is truthy, at most `timeoutMs`. */
  async waitFor(expression: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`))) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Waits until loadgate's report script says it is ready or failed, then for two animation
   * frames, so that any redraw the page queued is painted before its canvases are read; returns
   * the script's error (null when it ran to its end).
   */
  async reportDrawn(timeoutMs = 15_000): Promise<string | null> {
    await this.waitFor(
      "window.loadgateReport && (window.loadgateReport.ready || window.loadgateReport.error)",
      timeoutMs,
    );
    await this.evaluate(
      "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
    );
    return await this.evaluate<string | null>("window.loadgateReport.error ?? null");
  }

  /** A PNG of the whole page (not just the viewport), or of rows `from` to `to`, at `scale`. */
  async screenshot(scale = 1, rows?: { from: number; to: number }): Promise<Uint8Array> {
    const metrics = await this.#browser.send("Page.getLayoutMetrics", {}, this.#session);
    const size = metrics.cssContentSize as { width: number; height: number };
    const y = rows ? rows.from : 0;
    const height = rows ? Math.min(rows.to, size.height) - y : size.height;
    const { data } = await this.#browser.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
      clip: { x: 0, y, width: Math.ceil(size.width), height: Math.ceil(height), scale },
    }, this.#session);
    return Uint8Array.from(atob(String(data)), (c) => c.charCodeAt(0));
  }
}

/** One start of Chromium: its process, its stderr drain, and its DevTools URL (null: none in 40 s). */
async function startChromium(path: string): Promise<{
  child: Deno.ChildProcess;
  drain: Promise<void>;
  profile: string;
  url: string | null;
  log: () => string;
}> {
  const profile = await Deno.makeTempDir({ prefix: "loadgate_chromium_" });
  const child = new Deno.Command(path, {
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "about:blank"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let log = "";
  let found: (url: string | null) => void = () => {};
  const endpoint = new Promise<string | null>((r) => (found = r));
  // Keep reading stderr to its end, or Chromium would block on a full pipe.
  const drain = (async () => {
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        log += value;
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(log);
        if (m) found(m[1]!);
      }
    } catch {
      // the process was killed
    } finally {
      found(null);
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = await Promise.race([
    endpoint,
    new Promise<null>((r) => (timer = setTimeout(() => r(null), 40_000))),
  ]);
  clearTimeout(timer);
  return { child, drain, profile, url, log: () => log };
}

/** One series of a uPlot chart, as {@linkcode UPLOT_VIEW_JS} reads it. */
export interface SeriesView {
  label: string;
  /** Non-null values: points or bars drawn. */
  count: number;
  /** Of those, how many lie inside the chart's visible scales. */
  inside: number;
  /** Values in the data array (bars include empty bins). */
  length: number;
  sum: number;
}

/** A uPlot chart as drawn: its axes' labels, its series, and its canvas's pixels by colour. */
export interface UplotView {
  axes: string[];
  series: SeriesView[];
  /** Canvas pixels close to each colour asked for. */
  pixels: Record<string, number>;
}

/**
 * A function expression for the page: `(u, colors) => UplotView` of uPlot instance `u`,
 * counting the canvas pixels within 40 of each `#rrggbb` colour in `colors`.
 */
export const UPLOT_VIEW_JS = `((u, colors) => {
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const xs = u.data[0];
  const series = u.series.slice(1).map((s, i) => {
    const ys = u.data[i + 1];
    const sy = u.scales[s.scale];
    let count = 0, inside = 0, sum = 0;
    for (let k = 0; k < ys.length; k++) {
      const y = ys[k];
      if (y == null) continue;
      count++;
      sum += y;
      if (xs[k] >= u.scales.x.min && xs[k] <= u.scales.x.max && y >= sy.min && y <= sy.max) inside++;
    }
    return { label: s.label, count, inside, length: ys.length, sum };
  });
  const canvas = u.ctx.canvas;
  const img = u.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const pixels = {};
  for (const hex of colors) {
    const [r, g, b] = rgb(hex);
    let n = 0;
    for (let p = 0; p < img.length; p += 4) {
      if (Math.abs(img[p] - r) < 40 && Math.abs(img[p + 1] - g) < 40 && Math.abs(img[p + 2] - b) < 40 && img[p + 3] > 200) n++;
    }
    pixels[hex] = n;
  }
  return { axes: u.axes.map((a) => a.label), series, pixels };
})`;

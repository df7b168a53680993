/**
 * Chromium for the browser tests: the system's (apt-get install chromium; .ci/run
 * installs it) or $CHROMIUM_PATH, driven by playwright-core (playwright's own
 * browser download is not needed), and a static file server on 127.0.0.1.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join } from "node:path";

export type Browser = Awaited<ReturnType<typeof import("playwright-core")["chromium"]["launch"]>>;

/** The Chromium binary, or undefined after logging why `testFile` skips. */
export function findChromium(testFile: string): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) console.log(`${testFile}: skipped, no Chromium found (tried ${candidates.join(", ")}); apt-get install chromium, or set CHROMIUM_PATH`);
  return found;
}

export async function launchChromium(path: string): Promise<Browser> {
  const pw = await import("playwright-core");
  return pw.chromium.launch({ executablePath: path, args: ["--no-sandbox"] });
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".safetensors": "application/octet-stream" };

/**
 * Serves `roots` (URL prefix -> directory; "/" for the rest) over http with `headers` on every
 * response (COOP and COEP make a page cross-origin isolated); resolves to its base URL and a close.
 */
export async function serveDirs(roots: Record<string, string>, headers: Record<string, string> = {}): Promise<{ base: string; close: () => Promise<void> }> {
  const prefixes = Object.keys(roots).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, "http://x").pathname);
    if (path === "/favicon.ico") { res.writeHead(204).end(); return; }
    const prefix = prefixes.find((p) => path.startsWith(p))!;
    const dir = roots[prefix]!, file = join(dir, path.slice(prefix.length));
    if (!file.startsWith(dir) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", ...headers }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const addr = server.address();
  return { base: `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** Opens `url`, waits for the page to set window.result; returns it with the console's errors (and page errors) and warnings. */
export async function pageResult<R>(browser: Browser, url: string): Promise<{ result: R; errors: string[]; warnings: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [], warnings: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); if (m.type() === "warning") warnings.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined || undefined, undefined, { timeout: 60_000 });
  const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
  await page.close();
  return { result: result as R, errors, warnings };
}

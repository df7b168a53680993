/**
 * The HTML report in a real headless Chromium (playwright-core driving the
 * system's Chromium; playwright's own browser download is not needed): the page
 * renders with no console error and no failed request, its embedded JSON is the
 * result, and every chart mark carries the JSON's numbers. Skips, saying why,
 * when no Chromium is installed (apt-get install chromium, or set CHROMIUM_PATH).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderReport, sensitivity, type SensitivityResult } from "../../analysis/index.js";
import { ROOT } from "../helpers/compile.js";
import { findChromium, launchChromium, type Browser } from "../helpers/browser.js";
import { cookbook, uniformBox } from "./models.js";

const chromium = findChromium("report.test.ts");

describe.skipIf(!chromium)("sensitivity report in Chromium", () => {
  let browser: Browser, dir: string;
  beforeAll(async () => {
    browser = await launchChromium(chromium!);
    mkdirSync(join(ROOT, "test/.tmp"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "test/.tmp/report-"));
  }, 60_000);
  afterAll(async () => { await browser?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

  /** Opens the page offline; returns it with the console errors, page errors and requests seen. */
  async function open(html: string) {
    const file = join(dir, `r${Math.random().toString(36).slice(2)}.html`);
    writeFileSync(file, html);
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const errors: string[] = [], requests: string[] = [];
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
    await page.goto(pathToFileURL(file).href);
    return { page, errors, requests, context };
  }

  it("Ishigami, order 3 with moments and bounds: charts carry the JSON's numbers", async () => {
    const { fn, value } = cookbook("ishigami", 3);
    const N = 400;
    const res = sensitivity(fn, { x: { shape: [N, 3], data: uniformBox(N, [-Math.PI, -Math.PI, -Math.PI], [Math.PI, Math.PI, Math.PI], 31) } }, { sigma: 0.1, mcDraws: 8, inputDist: "uniform", valueModel: value, name: "ishigami", bootstrap: 200 });
    const { page, errors, requests, context } = await open(renderReport(res));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const embedded = JSON.parse((await page.locator("#sensitivity-data").textContent())!) as SensitivityResult;
    expect(embedded).toEqual(JSON.parse(JSON.stringify(res)));
    const out = embedded.outputs.y!;
    const attrs = (sel: string) => page.$$eval(sel, (els) => els.map((e) => Object.fromEntries(Array.from(e.attributes).map((a) => [a.name, a.value]))));
    // importance bars: one per input per series, value and interval from the JSON
    const bars = await attrs("rect.bar");
    const series: Record<string, { v: number[][]; ci?: { lo: number[][]; hi: number[][] } }> = {
      dgsm: { v: out.dgsm, ci: out.dgsm_ci! },
      mean_abs_gradient: { v: out.gradient.mean_abs, ci: out.gradient.mean_abs_ci! },
      total_sobol_upper: { v: out.dgsm_bound!.total_sobol_upper as number[][] },
    };
    expect(bars.length).toBe(3 * 3);
    for (const b of bars) {
      const s = series[b["data-series"]!]!, c = Number(b["data-component"]), i = Number(b["data-input"]);
      expect(Number(b["data-value"])).toBe(s.v[c]![i]);
      if (s.ci) { expect(Number(b["data-lo"])).toBe(s.ci.lo[c]![i]); expect(Number(b["data-hi"])).toBe(s.ci.hi[c]![i]); }
      expect(Number(b.width)).toBeGreaterThanOrEqual(0);
    }
    // the bars are drawn: a positive value has a visible width
    const widths = await page.$$eval("rect.bar[data-series=dgsm]", (els) => els.map((e) => (e as SVGGraphicsElement).getBBox().width));
    widths.forEach((w) => expect(w).toBeGreaterThan(0));
    const cis = await attrs("line.ci");
    expect(cis.length).toBe(6);
    for (const l of cis) { const s = series[l["data-series"]!]!; expect(Number(l["data-lo"])).toBe(s.ci!.lo[0]![Number(l["data-input"])]); }
    // heatmap: d x d cells of interactions.mean_abs (and the signed mean)
    const cells = await attrs("rect.cell");
    expect(cells.length).toBe(9);
    for (const c of cells) {
      expect(Number(c["data-value"])).toBe(out.interactions!.mean_abs[0]![Number(c["data-i"])]![Number(c["data-j"])]);
      expect(Number(c["data-mean"])).toBe(out.interactions!.mean[0]![Number(c["data-i"])]![Number(c["data-j"])]);
    }
    // Taylor curves: one point per order and radius with a positive error
    const points = await attrs("circle.point");
    const expected = out.taylor!.error.flat().filter((v) => v !== null && v > 0).length;
    expect(points.length).toBe(expected);
    for (const p of points) {
      const k = Number(p["data-order"]), r = out.taylor!.radii.indexOf(Number(p["data-x"]));
      expect(r).toBeGreaterThanOrEqual(0);
      expect(Number(p["data-value"])).toBe(out.taylor!.error[k - 1]![r]);
    }
    expect(await page.locator("polyline.curve").count()).toBe(3);
    // moments: Taylor and Monte Carlo, mean and variance
    const dots = await attrs("circle.estimate");
    expect(dots.length).toBe(4);
    for (const d of dots) {
      const mo = out.moments!, key = d["data-moment"] as "mean" | "variance";
      if (d["data-source"] === "taylor") expect(Number(d["data-value"])).toBe(mo[key][0]);
      else { expect(Number(d["data-value"])).toBe(mo.monte_carlo[key][0]); expect(Number(d["data-se"])).toBe(mo.monte_carlo[key === "mean" ? "mean_se" : "variance_se"][0]); }
    }
    // tooltips and the written reading
    expect(await page.locator("rect.bar[data-series=dgsm] title").first().textContent()).toMatch(/^x\[0\]: dgsm /);
    const reading = (await page.locator("ul.reading").textContent())!;
    expect(reading).toMatch(/Most important inputs of y/);
    expect(reading).toMatch(/Strongest interaction: x\[0\] with x\[2\]/);
    expect(reading).toMatch(/order-3 prediction stays within 1% of the true change up to radius/);
    await context.close();
  }, 60_000);

  it("degenerate results render cleanly: a linear component (Taylor errors 0), a constant one (derivatives 0)", async () => {
    const { compileOk } = await import("../helpers/compile.js");
    const src = `model lin {
  batch B
  input x : [B, 2]
  y = stack([x[:, 0], 0 * x[:, 1] + 3], axis=1)
  output y
}`;
    const fn = compileOk(src, { order: 2, dims: new Map() } as never).fn;
    const N = 50;
    const res = sensitivity(fn, { x: { shape: [N, 2], data: uniformBox(N, [-1, -1], [1, 1], 33) } }, { sigma: 0.1, mcDraws: 4, inputDist: "normal", bootstrap: 20 });
    const out = res.outputs.y!;
    expect(out.dgsm[1]).toEqual([0, 0]);
    expect(out.dgsm_bound!.total_sobol_upper[1]).toEqual([null, null]); // Var(y_1) = 0: no bound
    expect(out.taylor!.error.flat().every((e) => e === 0)).toBe(true); // exact expansion: nothing to draw on a log scale
    const html = renderReport(res);
    expect(html).not.toMatch(/NaN|Infinity/);
    const { page, errors, context } = await open(html);
    expect(errors).toEqual([]);
    expect(await page.locator("rect.bar").count()).toBe(2 * (2 + 2 + 2));
    await context.close();
  }, 60_000);

  it("a two-output model of order 1 without moments: only the charts that apply, numbers as in the JSON", async () => {
    const { compileOk } = await import("../helpers/compile.js");
    const src = `model m {
  batch B
  input x : [B, 4]
  y = stack([sin(x[:, 0]) * x[:, 1], exp(0.1 * x[:, 2]) + x[:, 3]], axis=1)
  output y
}`;
    const fn = compileOk(src, { order: 1, dims: new Map() } as never).fn;
    const N = 100;
    const res = sensitivity(fn, { x: { shape: [N, 4], data: uniformBox(N, [-1, -1, -1, -1], [1, 1, 1, 1], 32) } }, { bootstrap: 50 });
    const { page, errors, context } = await open(renderReport(res));
    expect(errors).toEqual([]);
    expect(await page.locator("rect.cell").count()).toBe(0);
    expect(await page.locator("circle.estimate").count()).toBe(0);
    const bars = await page.$$eval("rect.bar[data-series=dgsm]", (els) => els.map((e) => [Number(e.getAttribute("data-component")), Number(e.getAttribute("data-input")), Number(e.getAttribute("data-value"))]));
    expect(bars.length).toBe(8);
    for (const [c, i, v] of bars) expect(v).toBe(res.outputs.y!.dgsm[c!]![i!]);
    await context.close();
  }, 60_000);
});

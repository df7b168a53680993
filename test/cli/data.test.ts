/** thoadc on odd data and text: non-numbers in inputs files, CR-only line endings. */
import { describe, it, expect } from "vitest";
import { thoadc, useCli, workdir } from "../helpers/cli.js";

useCli();
const T = 30_000;
const MODEL = "model m {\n  input x : [3]\n  y = x * 2\n  output y\n}\n";

describe("eval --inputs: values must be numbers (TH302)", { timeout: T }, () => {
  it.each([
    ["strings, null and booleans in data", `{"x": {"shape": [3], "data": ["a", null, true]}}`, /input 'x': data\[0\] \(flattened\) is "a", not a number/],
    ["null in nested data", `{"x": {"shape": [3], "data": [[1, 2], [null]]}}`, /data\[2\] \(flattened\) is null/],
    ["a boolean in nested arrays", `{"x": [1, true, 3]}`, /input 'x': .*non-numeric/],
    ["a string as a dim", `{"x": {"shape": ["3"], "data": [1, 2, 3]}}`, /shape\[0\] is "3", not a non-negative integer/],
    ["a fractional dim", `{"x": {"shape": [1.5, 2], "data": [1, 2, 3]}}`, /shape\[0\] is 1.5/],
  ])("%s", (_, json, message) => {
    const dir = workdir({ "m.thd": MODEL, "in.json": json });
    const r = thoadc(dir, "eval", "m.thd", "--order", "1", "--inputs", "in.json");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^in\.json: error TH302: /);
    expect(r.stderr).toMatch(message);
  });

  it("nested data of numbers is still read in order", () => {
    const dir = workdir({ "m.thd": MODEL, "in.json": `{"x": {"shape": [3], "data": [[1], [2, [3]]]}}` });
    const r = thoadc(dir, "eval", "m.thd", "--order", "1", "--inputs", "in.json");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).outputs.y.value.data).toEqual([2, 4, 6]);
  });
});

describe("CR-only line endings", { timeout: T }, () => {
  const cr = (text: string) => text.replace(/\n/g, "\r");

  it("a # comment ends at a lone \\r instead of swallowing the rest of the file", () => {
    const dir = workdir({ "m.thd": cr("# a comment\nmodel m {  # another\n  input x : [3]\n  y = x * 2  # doubled\n  output y\n}\n"), "in.json": `{"x": [1, 2, 3]}` });
    const r = thoadc(dir, "eval", "m.thd", "--order", "1", "--inputs", "in.json");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).outputs.y.value.data).toEqual([2, 4, 6]);
  });

  it("errors point at the right line and show it", () => {
    const dir = workdir({ "m.thd": cr("# c\nmodel m {\n  input x : [3]\n  y = x + z  # here\n  output y\n}\n") });
    const r = thoadc(dir, "m.thd");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("m.thd:4:11: error TH101: undefined name 'z'\n4 |   y = x + z  # here\n");
  });

  it("an error at the end of a CR-only file is on its last line", () => {
    const dir = workdir({ "m.thd": cr("model m {\n  input x : [3]\n  y = (x") });
    const r = thoadc(dir, "m.thd");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^m\.thd:3:9: error TH002: /);
  });
});

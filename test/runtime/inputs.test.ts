/**
 * checkInputs reads only the inputs record's own properties: an input named
 * like a property of Object.prototype (constructor, toString, hasOwnProperty)
 * is missing when the record lacks it, not Object.prototype's function.
 */
import { describe, expect, it } from "vitest";
import { checkInputs, type InputSpec } from "../../runtime/index.js";

const specs: InputSpec[] = [{ name: "x", shape: [-1, 2] }, { name: "constructor", shape: [2] }, { name: "toString", shape: [1] }];
const x = { shape: [3, 2], data: [1, 2, 3, 4, 5, 6] };

describe("checkInputs: own properties only", () => {
  it("an input named like an Object.prototype member is missing when not given", () => {
    expect(() => checkInputs("m", { x }, specs)).toThrow("m: missing input 'constructor' of shape [2]");
    expect(() => checkInputs("m", { x, constructor: { shape: [2], data: [7, 8] } }, specs)).toThrow("m: missing input 'toString' of shape [1]");
    expect(() => checkInputs("m", { x }, [{ name: "hasOwnProperty", shape: [] }])).toThrow("m: missing input 'hasOwnProperty' of shape []");
    // inherited from any prototype, not only Object's
    const proto = { x };
    expect(() => checkInputs("m", Object.create(proto) as object, specs)).toThrow("m: missing input 'x' of shape [B, 2]");
  });

  it("given as own properties, such inputs are read like any other (also from a null-prototype record)", () => {
    const given = { x, constructor: { shape: [2], data: [7, 8] }, toString: { shape: [1], data: [9] } };
    const want = [[1, 2, 3, 4, 5, 6], [7, 8], [9]];
    const r = checkInputs("m", given, specs);
    expect([r.B, r.data.map((d) => Array.from(d))]).toEqual([3, want]);
    const bare = Object.assign(Object.create(null) as object, given);
    expect(checkInputs("m", bare, specs).data.map((d) => Array.from(d))).toEqual(want);
  });
});

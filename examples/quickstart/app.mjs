// Quick start, step 3: use the compiled module in an app.
//   node examples/quickstart/app.mjs
import { regressor } from "./regressor.js";

const x = [[0.5, -1.0, 0.25, 2.0], [0.0, 0.3, -0.7, 1.0]]; // two samples (nested arrays or {shape, data})
const r = regressor({ x }); // the trained weights are bound: only the graph input is needed

console.log("y        ", r.y.value.shape, Array.from(r.y.value.data, (v) => +v.toFixed(6)));
console.log("dy/dx    ", r.y.d("x").shape);           // [2, 3, 4]
console.log("d2y/dx2  ", r.y.d("x", "x").shape);      // [2, 3, 4, 4]
console.log("d3y/dx3  ", r.y.d("x", "x", "x").shape); // [2, 3, 4, 4, 4]
console.log("packed   ", r.y.packed("x", "x", "x").shape); // [2, 3, 20]: the 20 distinct third derivatives
console.log("d3y0/dx0^3 (sample 0):", r.y.d("x", "x", "x").get(0, 0, 0, 0, 0).toFixed(6));

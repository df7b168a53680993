/**
 * Eigenvalues of a real symmetric matrix by the cyclic Jacobi method
 * (Rutishauser's formulation, as in Golub and Van Loan, Matrix Computations,
 * 8.5): rotations zero one off-diagonal pair at a time; each sweep visits every
 * pair, and sweeps go on until the off-diagonal part is below roundoff relative
 * to the matrix's norm. Accurate to a few ulps of the norm, every eigenvalue.
 */

/**
 * Eigenvalues, ascending, of the symmetric n x n matrix `a` (row-major; only
 * its upper triangle is read). `a` is not modified.
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { m[i * n + j] = a[i * n + j]!; m[j * n + i] = a[i * n + j]!; }
  let norm2 = 0;
  for (let k = 0; k < n * n; k++) norm2 += m[k]! * m[k]!;
  const tol = norm2 * 1e-32; // (1e-16 relative)^2 on squared sums
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += 2 * m[i * n + j]! * m[i * n + j]!;
    if (off <= tol) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!, aqq = m[q * n + q]!;
        // tan of the rotation angle: the smaller root of t^2 + 2 theta t - 1 = 0
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          // rotate columns p and q, then rows p and q
          const akp = m[k * n + p]!, akq = m[k * n + q]!;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k]!, aqk = m[q * n + k]!;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        m[p * n + q] = 0; m[q * n + p] = 0;
      }
    }
  }
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) ev[i] = m[i * n + i]!;
  return ev.sort();
}

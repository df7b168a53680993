/**
 * LEB128 integers and IEEE-754 constants, as the WebAssembly binary format
 * writes them (spec 5.2.2, 5.2.3). Every integer in a module (indices, sizes,
 * immediates, i32.const) is LEB128; floats are raw little-endian bytes.
 */

/** Unsigned LEB128 of a u32 (7 bits a byte, high bit = more follows). */
export function uleb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`uleb: ${value} is not a u32`);
  const out: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/**
 * Signed LEB128 of an i32: stop once the rest is pure sign extension and the
 * last byte's bit 6 (the sign bit the decoder extends) agrees with it.
 */
export function sleb(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) throw new RangeError(`sleb: ${value} is not an i32`);
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7; // arithmetic shift keeps the sign
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** The 8 little-endian bytes of an f64. */
export function f64Bytes(value: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, value, true);
  return [...b];
}

/** The 4 little-endian bytes of an f32 (the value is rounded to f32 first). */
export function f32Bytes(value: number): number[] {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  return [...b];
}

/** A name or any UTF-8 string: its byte length, then the bytes. */
export function utf8(s: string): number[] {
  const bytes = new TextEncoder().encode(s);
  return [...uleb(bytes.length), ...bytes];
}

/** A vector: element count, then the elements' bytes in order. */
export function vec(items: readonly (readonly number[])[]): number[] {
  const out = uleb(items.length);
  for (const it of items) for (const b of it) out.push(b); // not push(...it): a large function body would overflow the call stack
  return out;
}

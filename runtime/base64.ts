/** Base64 to bytes, for modules that embed their weights (safetensors bytes) as text. */

/** The bytes of a base64 string (standard alphabet; whitespace ignored); atob exists in browsers and Node >= 16. */
export function base64ToBytes(s: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(s.replace(/\s+/g, ""));
  } catch {
    throw new Error(`base64ToBytes: not valid base64 (${s.length} characters, starting ${JSON.stringify(s.slice(0, 16))})`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

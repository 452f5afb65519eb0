/**
 * Standard Base64 (RFC 4648 §4, `+` and `/`, `=` padding) written out, since libs/asl may not use Node's Buffer.
 * Text goes through UTF-8, as the Java service behind Step Functions does.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Base64 of the UTF-8 bytes of `text`, padded. */
export function base64EncodeUtf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += ALPHABET[b0 >> 2];
    out += ALPHABET[((b0 & 0x03) << 4) | ((b1 ?? 0) >> 4)];
    out += b1 === undefined ? '=' : ALPHABET[((b1 & 0x0f) << 2) | ((b2 ?? 0) >> 6)];
    out += b2 === undefined ? '=' : ALPHABET[b2 & 0x3f];
  }
  return out;
}

/**
 * The text whose UTF-8 bytes `encoded` holds, or undefined when `encoded` is not Base64. Padding may be left out
 * (as Java's basic decoder allows); anything else outside the alphabet, including blanks, is refused.
 */
export function base64DecodeUtf8(encoded: string): string | undefined {
  const body = encoded.replace(/={1,2}$/, '');
  if (body.length % 4 === 1) return undefined;
  if (body.length !== encoded.length && encoded.length % 4 !== 0) return undefined;
  const bytes = new Uint8Array(Math.floor((body.length * 3) / 4));
  let written = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const value = code < 128 ? (DECODE[code] as number) : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[written++] = (buffer >> bits) & 0xff;
    }
  }
  return new TextDecoder().decode(bytes.subarray(0, written));
}

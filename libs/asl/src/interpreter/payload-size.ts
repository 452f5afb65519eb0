import type { JsonValue } from '../json';

/** Step Functions' limit on any payload (input, output, result) of a state or an execution: 256 KiB. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** The size of a value's JSON text in UTF-8 bytes, computed without a Buffer so the core stays platform-free. */
export function jsonByteLength(value: JsonValue): number {
  return utf8ByteLength(JSON.stringify(value) ?? 'null');
}

/** UTF-8 byte length of a string. */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  // Most payloads are ASCII: only pay for the per-character walk when needed.
  if (!/[\u0080-\uffff]/.test(text)) return bytes;
  bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

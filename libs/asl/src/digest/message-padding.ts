/**
 * The padding MD5, SHA-1 and SHA-2 share (RFC 1321 §3.1–3.2, FIPS 180-4 §5.1): a 1 bit, zeros up to the last
 * length field of the last block, then the message length in bits. MD5 writes that length little-endian, the SHA
 * family big-endian; SHA-384/512 use 128-byte blocks and a 16-byte length field.
 */
export function padMessage(message: Uint8Array, blockSize: 64 | 128, littleEndianLength: boolean): DataView {
  const lengthBytes = blockSize === 64 ? 8 : 16;
  const paddedLength = Math.ceil((message.length + 1 + lengthBytes) / blockSize) * blockSize;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  // Messages here are at most a few megabytes, so the bit length fits in 53 bits: split it into two 32-bit words.
  const bits = message.length * 8;
  const high = Math.floor(bits / 0x1_0000_0000);
  const low = bits >>> 0;
  if (littleEndianLength) {
    view.setUint32(paddedLength - 8, low, true);
    view.setUint32(paddedLength - 4, high, true);
  } else {
    view.setUint32(paddedLength - 8, high);
    view.setUint32(paddedLength - 4, low);
  }
  return view;
}

/** Big-endian hex of 32-bit words, the way SHA digests are written. */
export function wordsToHex(words: ArrayLike<number>, count = words.length): string {
  let hex = '';
  for (let i = 0; i < count; i++) hex += ((words[i] as number) >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/** The first `count` words of the running hash state as a fixed-length tuple, to destructure into working variables. */
export function words<N extends number>(state: Int32Array, count: N): Tuple<N> {
  return Array.from(state.subarray(0, count)) as Tuple<N>;
}

type Tuple<N extends number, T extends number[] = []> = T['length'] extends N ? T : Tuple<N, [...T, number]>;

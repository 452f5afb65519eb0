import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Hex } from './md5';
import { sha1Hex } from './sha1';
import { sha256Hex } from './sha256';
import { sha384Hex, sha512Hex } from './sha512';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const algorithms = [
  { name: 'md5', sut: md5Hex },
  { name: 'sha1', sut: sha1Hex },
  { name: 'sha256', sut: sha256Hex },
  { name: 'sha384', sut: sha384Hex },
  { name: 'sha512', sut: sha512Hex },
] as const;

describe('hash functions', () => {
  // RFC 1321 appendix A.5 and FIPS 180-2 appendices A-D.
  it.each([
    [md5Hex, '', 'd41d8cd98f00b204e9800998ecf8427e'],
    [md5Hex, 'abc', '900150983cd24fb0d6963f7d28e17f72'],
    [md5Hex, 'message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    [sha1Hex, 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    [sha1Hex, 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    [sha256Hex, 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [sha256Hex, '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    [
      sha384Hex,
      'abc',
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    ],
    [
      sha512Hex,
      'abc',
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
  ])('%o(%j) is the published test vector', (sut, message, digest) => {
    expect(sut(utf8(message))).toBe(digest);
  });

  // corpus: intrinsic_functions/hash_calculations.hash__0..4, States.Hash('input data', …) as AWS computed it.
  it.each([
    [md5Hex, '812f45842bc6d66ee14572ce20db8e86'],
    [sha1Hex, 'aaff4a450a104cd177d28d18d74485e8cae074b7'],
    [sha256Hex, 'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3'],
    [sha384Hex, 'd28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562'],
    [
      sha512Hex,
      '6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4',
    ],
  ])('%o("input data") matches AWS', (sut, digest) => {
    expect(sut(utf8('input data'))).toBe(digest);
  });

  it.each(algorithms)('$name agrees with node:crypto on every length around the block boundaries', ({ name, sut }) => {
    for (let length = 0; length < 300; length++) {
      const message = new Uint8Array(length).map((_, i) => (i * 31 + length * 7) & 0xff);
      expect(sut(message), `${name} of ${length} bytes`).toBe(createHash(name).update(message).digest('hex'));
    }
  });

  it.each(algorithms)('$name agrees with node:crypto on multi-byte UTF-8 text', ({ name, sut }) => {
    const text = 'Grüße, 世界 🆗 '.repeat(500);
    expect(sut(utf8(text))).toBe(createHash(name).update(text, 'utf8').digest('hex'));
  });
});

/**
 * Message digests for `States.Hash` and JSONata's `$hash`: MD5, SHA-1, SHA-256, SHA-384 and SHA-512 in plain
 * TypeScript. libs/asl may not import platform modules (node:crypto included), and a digest is a pure function of
 * its input, so each is computed here from its specification (RFC 1321, FIPS 180-4).
 */
import { md5Hex } from './md5';
import { sha1Hex } from './sha1';
import { sha256Hex } from './sha256';
import { sha384Hex, sha512Hex } from './sha512';

/** The algorithm names States.Hash and `$hash` accept, as AWS spells them. */
export type DigestAlgorithm = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const DIGESTS: Readonly<Record<DigestAlgorithm, (message: Uint8Array) => string>> = {
  MD5: md5Hex,
  'SHA-1': sha1Hex,
  'SHA-256': sha256Hex,
  'SHA-384': sha384Hex,
  'SHA-512': sha512Hex,
};

const DIGEST_ALGORITHMS = Object.keys(DIGESTS) as readonly DigestAlgorithm[];

/** True for an algorithm name {@link hexDigest} knows. */
export function isDigestAlgorithm(name: string): name is DigestAlgorithm {
  return Object.hasOwn(DIGESTS, name);
}

/** The names {@link hexDigest} knows, for error messages. */
export function listDigestAlgorithms(): readonly DigestAlgorithm[] {
  return DIGEST_ALGORITHMS;
}

/** The lower-case hex digest of the UTF-8 bytes of `text`. */
export function hexDigest(algorithm: DigestAlgorithm, text: string): string {
  return DIGESTS[algorithm](new TextEncoder().encode(text));
}

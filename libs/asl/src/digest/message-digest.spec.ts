import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hexDigest, isDigestAlgorithm, listDigestAlgorithms } from './message-digest';

const NODE_NAMES = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

describe(hexDigest.name, () => {
  // Padding boundaries of 64- and 128-byte blocks, multi-block messages and multi-byte UTF-8.
  const messages = [
    '',
    'abc',
    'The quick brown fox jumps over the lazy dog',
    ...[55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000].map((length) => 'x'.repeat(length)),
    'héllo wörld — 日本語 🎉',
  ];

  for (const algorithm of listDigestAlgorithms()) {
    it.each(messages.map((message) => [message.length, message] as const))(
      `${algorithm} of a %i-character message matches node:crypto`,
      (_length, message) => {
        expect(hexDigest(algorithm, message)).toBe(
          createHash(NODE_NAMES[algorithm]).update(message, 'utf8').digest('hex'),
        );
      },
    );
  }

  it('knows the published SHA-256 test vector', () => {
    expect(hexDigest('SHA-256', 'abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe(isDigestAlgorithm.name, () => {
  it('accepts AWS spellings only', () => {
    expect(isDigestAlgorithm('SHA-256')).toBe(true);
    expect(isDigestAlgorithm('sha256')).toBe(false);
    expect(isDigestAlgorithm('SHA-3')).toBe(false);
  });
});

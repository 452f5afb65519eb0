import { describe, expect, it } from 'vitest';
import { base64DecodeUtf8, base64EncodeUtf8 } from './base64';

describe(base64EncodeUtf8.name, () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foobar', 'Zm9vYmFy'],
    ['Data to encode', 'RGF0YSB0byBlbmNvZGU='], // corpus: encode_decode.base_64_encode__1
    ['Grüße 🆗', Buffer.from('Grüße 🆗', 'utf8').toString('base64')],
  ])('%j → %j (RFC 4648 §10 vectors)', (text, encoded) => {
    expect(base64EncodeUtf8(text)).toBe(encoded);
  });
});

describe(base64DecodeUtf8.name, () => {
  it.each([
    ['', ''],
    ['Zg==', 'f'],
    ['Zg', 'f'],
    ['Zm9vYmFy', 'foobar'],
    ['RGF0YSB0byBlbmNvZGU=', 'Data to encode'], // corpus: encode_decode.base_64_decode__1
    [Buffer.from('Grüße 🆗', 'utf8').toString('base64'), 'Grüße 🆗'],
  ])('%j → %j', (encoded, text) => {
    expect(base64DecodeUtf8(encoded)).toBe(text);
  });

  it.each(['Z', 'Zm9v!', 'Zm 9v', 'Zg=a', 'Zg===', 'Zm9=v'])('refuses %j', (encoded) => {
    expect(base64DecodeUtf8(encoded)).toBeUndefined();
  });
});

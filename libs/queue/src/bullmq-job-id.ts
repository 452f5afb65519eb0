import { createHash } from 'node:crypto';

/** Characters kept as they are in the readable part of an encoded id. */
const UNSAFE = /[^A-Za-z0-9._|-]+/g;
const READABLE_HEAD = 16;
const READABLE_TAIL = 40;

/**
 * The deduplication key BullMQ keeps for an id the engine chose (e.g. `advance|arn:aws:states:…:execution:M:x`).
 *
 * Why not the id itself: ids embed execution ARNs, hundreds of characters full of ':', and the key is repeated in
 * Redis for every job. BullMQ refuses ':' and integer-like strings as custom job ids, and ':' is the separator of
 * its key layout that Redis tools split on. So the key is a readable digest of the id (its start and end, where the
 * job kind and the execution name are) plus a SHA-256 prefix of the whole id, which keeps distinct ids distinct
 * (132 bits), the key short and free of ':', and never integer-like (it always contains a '.').
 */
export function encodeJobId(jobId: string): string {
  const readable = jobId.replace(UNSAFE, '_');
  const shortened =
    readable.length <= READABLE_HEAD + READABLE_TAIL + 1
      ? readable
      : `${readable.slice(0, READABLE_HEAD)}~${readable.slice(-READABLE_TAIL)}`;
  const digest = createHash('sha256').update(jobId).digest('base64url').slice(0, 22);
  return `${shortened}.${digest}`;
}

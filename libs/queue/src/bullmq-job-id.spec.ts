import { describe, expect, it } from 'vitest';
import { encodeJobId } from './bullmq-job-id';

describe(encodeJobId.name, () => {
  const arn = 'advance|arn:aws:states:us-east-1:123456789012:execution:AccountOpening:3f6c1a';

  it('is free of ":" and never integer-like, and keeps the job kind and execution name readable', () => {
    for (const id of [arn, '42', '-7', '', ':::']) {
      const key = encodeJobId(id);
      expect(key).not.toContain(':');
      expect(`${parseInt(key, 10)}`).not.toBe(key);
    }
    expect(encodeJobId(arn)).toMatch(/^advance\|arn_aws_.*_execution_AccountOpening_3f6c1a\.[\w-]{22}$/);
  });

  it('is the same for the same id and different for ids that read alike', () => {
    expect(encodeJobId(arn)).toBe(encodeJobId(arn));
    expect(encodeJobId('task|a:b')).not.toBe(encodeJobId('task|a_b'));
    expect(encodeJobId(`x${'y'.repeat(500)}1`)).not.toBe(encodeJobId(`x${'y'.repeat(501)}1`));
  });

  it('stays short for long ids', () => {
    expect(encodeJobId(`task|${'arn:aws:states:eu-west-1:1:execution:M:'.repeat(40)}`).length).toBeLessThanOrEqual(80);
  });
});

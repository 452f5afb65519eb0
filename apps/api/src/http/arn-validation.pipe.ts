import { ServiceException, ServiceExceptionCode } from '@lib/engine';
import { Injectable, type PipeTransform } from '@nestjs/common';

/** The ARN shapes the API takes, as Step Functions spells them. */
export const ARN_PATTERNS = {
  stateMachine: /^arn:[a-z0-9-]+:states:[a-z0-9-]*:\d*:stateMachine:[^:\s]+$/,
  execution: /^arn:[a-z0-9-]+:states:[a-z0-9-]*:\d*:(execution|express):[^:\s]+:[^:\s]+$/,
  activity: /^arn:[a-z0-9-]+:states:[a-z0-9-]*:\d*:activity:[^:\s]+$/,
} as const;

export type ArnKind = keyof typeof ARN_PATTERNS;

/** Refuses what is not an ARN of the expected kind with 400 InvalidArn, as AWS does; a well-formed unknown ARN is a 404. */
export function checkArn(kind: ArnKind, value: string, field: string): string {
  if (ARN_PATTERNS[kind].test(value)) return value;
  throw new ServiceException(
    ServiceExceptionCode.InvalidArn,
    `Invalid Arn: '${value.length > 200 ? `${value.slice(0, 200)}…` : value}' is not a${kind === 'activity' || kind === 'execution' ? 'n' : ''} ${kind} ARN (${field})`,
  );
}

/** Checks an ARN taken from the path (already URL-decoded by the router). */
@Injectable()
export class ArnValidationPipe implements PipeTransform<string, string> {
  constructor(private readonly kind: ArnKind) {}

  transform(value: string): string {
    return checkArn(this.kind, value, 'path');
  }
}

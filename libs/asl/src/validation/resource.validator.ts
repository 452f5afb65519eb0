import { isJsonObject } from '../json';
import { DiagnosticCode } from './diagnostic';
import type { PathSegments, ValidationContext } from './validation-context';

const ARN = /^arn:([^:\s]+):([^:\s]+):([^:\s]*):([^:\s]*):(\S+)$/;

// Optimized ("arn:aws:states:::service:action") integrations whose action list is short and stable. Services not
// listed here are not checked, so that a new integration AWS adds is never refused; `aws-sdk:*` takes any action.
// AWS refuses e.g. `dynamodb:query` ("is not recognized"): only these four DynamoDB calls are optimized.
const KNOWN_OPTIMIZED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  lambda: ['invoke'],
  dynamodb: ['getItem', 'putItem', 'updateItem', 'deleteItem'],
  sns: ['publish'],
  sqs: ['sendMessage'],
  events: ['putEvents'],
  states: ['startExecution'],
  http: ['invoke'],
  apigateway: ['invoke'],
  ecs: ['runTask'],
  batch: ['submitJob'],
};

const INTEGRATION_PATTERN = /\.(sync(?::2)?|waitForTaskToken)$/;

// Lambda function names: letters, digits, hyphens, underscores (1–64); a qualifier is $LATEST, a version or an alias.
const LAMBDA_FUNCTION = /^function:[A-Za-z0-9_-]{1,64}(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

// CloudFormation / SAM `${Name}` substitutions: resolved at deploy time, so what they stand for cannot be checked.
const SUBSTITUTION = /\$\{[^{}\s]+\}/;

/**
 * `{"Ref": "Fn"}`, `{"Fn::GetAtt": ["Fn", "Arn"]}`…: a definition still embedded in a CloudFormation or SAM template,
 * where deployment replaces the object with an ARN. Accepted like `${Name}` substitutions; the runner cannot invoke it.
 */
function isCloudFormationIntrinsic(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] ?? '').startsWith('Fn::'));
}

/** Checks a Task `Resource` ARN, and the Express restrictions when the definition is validated as EXPRESS. */
export function checkTaskResource(
  context: ValidationContext,
  resource: unknown,
  segments: PathSegments,
  stateName: string,
): void {
  const where = `The Resource of state '${stateName}'`;
  if (typeof resource !== 'string') {
    if (resource === undefined || isCloudFormationIntrinsic(resource)) return;
    context.report(
      DiagnosticCode.InvalidType,
      `${where} must be an ARN string, but it is ${JSON.stringify(resource)}.`,
      segments,
    );
    return;
  }
  if (SUBSTITUTION.test(resource)) return;
  const match = ARN.exec(resource);
  if (!match) {
    context.report(
      DiagnosticCode.InvalidResource,
      `${where} is ${JSON.stringify(resource)}, which is not an ARN (arn:partition:service:region:account:resource).` +
        (resource.includes('${') ? ' It looks like an unfinished ${…} substitution.' : ''),
      segments,
    );
    return;
  }
  const [, , service, region, account, rest] = match as unknown as [string, string, string, string, string, string];
  if (service === 'lambda' && !LAMBDA_FUNCTION.test(rest)) {
    context.report(
      DiagnosticCode.InvalidResource,
      `${where} is ${JSON.stringify(resource)}, which is not a valid Lambda function ARN: expected function:NAME or function:NAME:QUALIFIER, where the qualifier is $LATEST, a version number or an alias of letters, digits, '-' and '_'.`,
      segments,
    );
    return;
  }
  if (service === 'states' && region === '' && account === '') {
    checkServiceIntegration(context, resource, rest, where, segments);
    return;
  }
  if (service === 'states' && rest.startsWith('activity:') && context.options.stateMachineType === 'EXPRESS') {
    context.report(
      DiagnosticCode.UnsupportedInExpress,
      `${where} is an activity; Express state machines do not support activities.`,
      segments,
    );
  }
}

function checkServiceIntegration(
  context: ValidationContext,
  resource: string,
  rest: string,
  where: string,
  segments: PathSegments,
): void {
  const pattern = INTEGRATION_PATTERN.exec(rest)?.[1];
  if (pattern !== undefined && context.options.stateMachineType === 'EXPRESS') {
    const suffix = pattern.startsWith('sync') ? '.sync' : '.waitForTaskToken';
    context.report(
      DiagnosticCode.UnsupportedInExpress,
      `Express state machine does not support '${suffix}' service integration: ${where.charAt(0).toLowerCase()}${where.slice(1)} is ${JSON.stringify(resource)}.`,
      segments,
    );
  }
  const call = pattern === undefined ? rest : rest.slice(0, -(pattern.length + 1));
  const separator = call.indexOf(':');
  const service = separator < 0 ? call : call.slice(0, separator);
  const action = separator < 0 ? '' : call.slice(separator + 1);
  if (service === 'aws-sdk') {
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/.test(action)) {
      context.report(
        DiagnosticCode.InvalidResource,
        `${where} is ${JSON.stringify(resource)}; an AWS SDK integration is arn:aws:states:::aws-sdk:SERVICE:ACTION.`,
        segments,
      );
    }
    return;
  }
  const known = KNOWN_OPTIMIZED_ACTIONS[service];
  if (action === '' || (known !== undefined && !known.includes(action))) {
    context.report(
      DiagnosticCode.InvalidResource,
      `The resource provided ${resource} is not recognized: it is not a valid resource ARN or service integration.` +
        (known !== undefined ? ` The optimized ${service} integration supports ${known.join(', ')};` : '') +
        (known !== undefined
          ? ` use arn:aws:states:::aws-sdk:${service}:${action || 'ACTION'} for other ${service} calls.`
          : ''),
      segments,
    );
  }
}

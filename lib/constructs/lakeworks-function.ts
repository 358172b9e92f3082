/**
 * How every Lakeworks Lambda is built: Node.js 24 on arm64, active tracing, its own encrypted log
 * group, a role whose only permissions are the managed policy its stack writes (CDK's own grants
 * would add inline policies), and code bundled locally by esbuild from `lambda/` with the values
 * it needs baked in through `define`. Its variables come from the function's settings module in
 * contract/ (`toEnvironment()`, split by `splitBundled`); the entry is a path, never an import.
 */
import * as path from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionEnvironment } from '../../contract/lambda-environment';
import { COMPLIANCE_PACKS, acknowledgeRule } from '../compliance/security-baseline';
import { LAMBDA_BUNDLING } from './lambda-bundling';

const ROOT = path.join(__dirname, '..', '..');

export interface LakeworksFunctionProps {
  readonly functionName: string;
  readonly description: string;
  /** Entry file, relative to `lambda/`. */
  readonly entry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /**
   * Concurrency reserved out of the account's pool. Opt-in: a new account's quota can be as low as
   * 10, and Lambda refuses any reservation that leaves fewer than 100 unreserved. Bound a function's
   * concurrency with its event source instead (SQS maximum concurrency).
   * @default - none reserved
   */
  readonly reservedConcurrentExecutions?: number;
  /** Why an unreserved function is still bounded, for the compliance packs' LambdaConcurrency rule. */
  readonly concurrencyBoundBy?: string;
  /** Its permissions are exactly its managed policies; nothing is added to it. */
  readonly role: iam.Role;
  readonly logGroup: logs.ILogGroup;
  /** Set on the function, and compiled into the code as `process.env.<NAME>` (`bundled`). */
  readonly variables: FunctionEnvironment;
}

export function lakeworksFunction(scope: Construct, id: string, props: LakeworksFunctionProps): nodejs.NodejsFunction {
  const fn = new nodejs.NodejsFunction(scope, id, {
    functionName: props.functionName,
    description: props.description,
    entry: path.join(ROOT, 'lambda', props.entry),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    role: props.role.withoutPolicyUpdates(),
    logGroup: props.logGroup,
    tracing: lambda.Tracing.ACTIVE,
    depsLockFilePath: path.join(ROOT, 'package-lock.json'),
    environment: { ...props.variables.environment, NODE_OPTIONS: '--enable-source-maps' },
    bundling: {
      ...LAMBDA_BUNDLING,
      format: nodejs.OutputFormat.CJS,
      forceDockerBundling: false,
      define: Object.fromEntries(Object.entries(props.variables.bundled).map(([key, value]) => [`process.env.${key}`, JSON.stringify(value)])),
    },
  });
  // Its event source mappings too: Lambda checks the role's permissions when it creates one.
  fn.node.addDependency(props.role);
  if (props.reservedConcurrentExecutions === undefined) {
    acknowledgeRule(fn, ['HIPAA.Security', 'NIST.800.53.R5'], 'LambdaConcurrency',
      `No concurrency is reserved (a reservation fails in accounts with a small Lambda quota); ${props.concurrencyBoundBy ?? 'the invoking service bounds its concurrency'}.`);
  }
  acknowledgeRule(fn, COMPLIANCE_PACKS, 'LambdaInsideVPC',
    'Lakeworks functions talk only to AWS service endpoints over TLS with IAM auth; a VPC would add NAT or endpoint cost and no control over that traffic.');
  return fn;
}

/** Functions invoked synchronously by a service that keeps failed work itself need no function DLQ. */
export function acknowledgeSynchronousLambda(fn: lambda.IFunction, invokedBy: string): void {
  acknowledgeRule(fn, [...COMPLIANCE_PACKS, 'Serverless'], 'LambdaDLQ',
    `Invoked synchronously by ${invokedBy}; a function DLQ only applies to asynchronous invocations.`);
}

/**
 * The deployed resource names, read from the SSM parameters the stacks publish under
 * `/<org>/<env>/<lob>/` (lib/constructs/lake-parameters.ts). Reading them rather than re-deriving
 * names means the smoke run checks what was deployed, including in an account whose stacks were
 * deployed from a different checkout.
 */
import { GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { parameterPrefix } from '../../lib/config/names';
import { type Timing, retryThrottled } from './polling';

export interface LakeResources {
  readonly prefix: string;
  readonly rawBucket: string;
  readonly standardizedBucket: string;
  readonly resultsBucket: string;
  readonly deadLetterQueueUrl: string;
  readonly stateMachineArn: string;
  readonly workgroup: string;
  /** How many parameters were found under the prefix. */
  readonly count: number;
}

/** The parameters a smoke run needs, by name under the prefix. */
export function requiredParameters(persona: string): Record<Exclude<keyof LakeResources, 'prefix' | 'count'>, string> {
  return {
    rawBucket: 'buckets/raw',
    standardizedBucket: 'buckets/standardized',
    resultsBucket: 'buckets/results',
    deadLetterQueueUrl: 'transform/dead-letter-queue-url',
    stateMachineArn: 'curation/state-machine-arn',
    workgroup: `workgroups/${persona}`,
  };
}

export interface ParameterTarget {
  readonly organisation: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly lob: string;
  readonly persona: string;
}

export async function readLakeResources(ssm: SSMClient, target: ParameterTarget, timing: Timing): Promise<LakeResources> {
  const prefix = parameterPrefix({ organisation: target.organisation, environment: target.environment }, target.lob);
  const values = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await retryThrottled(() => ssm.send(new GetParametersByPathCommand({ Path: prefix, Recursive: true, NextToken: token })), { timing });
    for (const parameter of page.Parameters ?? []) {
      if (parameter.Name && parameter.Value !== undefined) values.set(parameter.Name.slice(prefix.length + 1), parameter.Value);
    }
    token = page.NextToken;
  } while (token);

  if (values.size === 0) {
    throw new Error(`no parameters under ${prefix}: deploy ${target.environment}/${target.lob}-* first, and check that your credentials are for account ${target.account} in ${target.region}`);
  }
  const required = requiredParameters(target.persona);
  const missing = Object.values(required).filter((name) => !values.has(name));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map((name) => `${prefix}/${name}`).join(', ')}: deploy the stacks that publish them (${target.environment}/${target.lob}-*)`);
  }
  const resolved = Object.fromEntries(Object.entries(required).map(([key, name]) => [key, values.get(name)!])) as Record<keyof typeof required, string>;
  return { prefix, count: values.size, ...resolved };
}

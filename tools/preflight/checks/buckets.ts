/**
 * Bucket names: every bucket the environment needs (lib/config/names.ts: a data bucket per LoB and
 * layer, and the account's access-log bucket) is looked up with S3 HeadBucket, owner expected to be
 * the environment's account. 404: the name is free. 200: this account's bucket, and CloudFormation
 * (DescribeStackResources by physical id) says whether a stack manages it. 403: another account's,
 * unless ListBuckets shows it is this account's after all.
 */
import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { STORAGE_LAYERS, accessLogBucketName, dataBucketName, platformStackName } from '../../../lib/config/names';
import type { NamedBucket } from '../app-facts';
import { couldNotCheck, errorName, httpStatus } from '../aws';
import type { Check, Finding, PreflightClients } from '../types';

export const CHECK = 'buckets';

export type BucketState =
  | { readonly kind: 'free' }
  /** In this account; `stack` manages it, or none does (retained by a deleted stack, or made by hand). */
  | { readonly kind: 'ours'; readonly stack?: string; readonly retainedBy?: string }
  | { readonly kind: 'taken' }
  /** 403 and ListBuckets refused: cannot tell whose. */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'error'; readonly error: unknown; readonly permission: string };

export async function bucketState(clients: PreflightClients, name: string, account: string): Promise<BucketState> {
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: name, ExpectedBucketOwner: account }));
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || ['NotFound', 'NoSuchBucket'].includes(errorName(error))) return { kind: 'free' };
    if (status !== 403 && status !== 301 && errorName(error) !== 'Forbidden') return { kind: 'error', error, permission: 's3:ListBucket' };
    // It exists; HeadBucket refuses another owner's bucket, or ours when the caller may not read it.
    try {
      const { Buckets } = await clients.s3.send(new ListBucketsCommand({ Prefix: name }));
      if (!(Buckets ?? []).some((bucket) => bucket.Name === name)) return { kind: 'taken' };
    } catch {
      return { kind: 'unknown' };
    }
  }
  try {
    const { StackResources } = await clients.cloudFormation.send(new DescribeStackResourcesCommand({ PhysicalResourceId: name }));
    const resource = (StackResources ?? []).find((candidate) => candidate.PhysicalResourceId === name) ?? StackResources?.[0];
    if (!resource?.StackName) return { kind: 'ours' };
    // A stack deleted with the bucket retained may still be reported, its bucket DELETE_SKIPPED.
    if (resource.ResourceStatus?.startsWith('DELETE_')) return { kind: 'ours', retainedBy: resource.StackName };
    return { kind: 'ours', stack: resource.StackName };
  } catch (error) {
    if (errorName(error) === 'ValidationError') return { kind: 'ours' };
    return { kind: 'error', error, permission: 'cloudformation:DescribeStackResources' };
  }
}

export const checkBuckets: Check = async (clients, { config, environment, app }) => {
  const { platform } = config;
  const names = { organisation: platform.organisation, environment: environment.name, account: environment.account, region: environment.region };
  const logBucket = accessLogBucketName(names);
  const wanted = [logBucket, ...config.lobs.flatMap((lob) => STORAGE_LAYERS.map((layer) => dataBucketName(names, lob.name, layer)))];
  const created = new Map(app.buckets.map((bucket) => [bucket.name, bucket]));
  const owner = platform.environments.find((other) => other.account === environment.account && other.region === environment.region)!;
  const states = await Promise.all(wanted.map((name) => bucketState(clients, name, environment.account)));

  const findings: Finding[] = [];
  const free: string[] = [];
  wanted.forEach((name, index) => {
    const state = states[index];
    const bucket = created.get(name);
    if (state.kind === 'free' && bucket) {
      free.push(name);
    } else if (bucket) {
      findings.push(...createdBucketFindings(name, state, bucket, environment.name, environment.account, name !== logBucket));
    } else {
      // Only the shared access-log bucket: another environment's platform stack creates it.
      const ownerStack = platformStackName(platform.organisation);
      findings.push(...sharedBucketFindings(name, state, ownerStack, owner.name, environment.name));
    }
  });
  if (free.length > 0) {
    findings.unshift({ check: CHECK, status: 'ok', message: `${free.length} bucket name${free.length === 1 ? ' is' : 's are'} free (HeadBucket: 404), for the stacks to create: ${free.join(', ')}.` });
  }
  return findings;
};

const TAKEN_ACTION = 'Choose another organisation prefix in config/platform.yaml: it starts every bucket name.';

function createdBucketFindings(name: string, state: BucketState, bucket: NamedBucket, environment: string, account: string, layerKey: boolean): Finding[] {
  switch (state.kind) {
    case 'free':
      return [];
    case 'taken':
      return [{ check: CHECK, status: 'problem', message: `${name} belongs to another AWS account (HeadBucket: 403); bucket names are global, so ${bucket.stackPath} cannot create it.`, action: TAKEN_ACTION }];
    case 'unknown':
      return [unknownOwner(name)];
    case 'error':
      return [couldNotCheck(CHECK, `bucket ${name}`, state.error, state.permission)];
    case 'ours':
      break;
  }
  if (state.stack === bucket.stackName) {
    return [{ check: CHECK, status: 'ok', message: `${name} exists in stack ${bucket.stackName}: the deploy updates it in place.` }];
  }
  if (state.stack) {
    return [{
      check: CHECK, status: 'problem',
      message: `${name} exists in this account but belongs to stack ${state.stack}, not ${bucket.stackName}: ${bucket.stackPath} cannot create it.`,
      action: `Take it out of stack ${state.stack} (with DeletionPolicy Retain there, so the bucket stays) and run preflight again, or choose another organisation prefix in config/platform.yaml.`,
    }];
  }
  const origin = state.retainedBy ? `retained when stack ${state.retainedBy} was deleted or rolled back` : 'no stack manages it';
  const blocked = `${name} already exists in account ${account} (${origin}): a plain deploy of ${bucket.stackPath} fails with "${name} already exists".`;
  if (bucket.deletionPolicy === 'Retain' || bucket.deletionPolicy === 'RetainExceptOnCreate') {
    const keyNote = !layerKey ? '' : ' It keeps its old settings, including the previous deploy\'s KMS key, until you reconcile them (docs/first-deploy.md, "A bucket already exists").';
    return [{
      check: CHECK, status: 'problem', message: `${blocked} The stack can adopt it (fixed name, DeletionPolicy ${bucket.deletionPolicy}).`,
      action: `To keep its data, deploy that stack once with \`npx cdk deploy '${bucket.stackPath}' --import-existing-resources\` (preview with --method=prepare-change-set), then run drift detection on ${bucket.stackName}.${keyNote} `
        + 'If its data is not needed, empty it (every object version) and delete it instead.',
    }];
  }
  return [{
    check: CHECK, status: 'problem',
    message: `${blocked} The stack cannot adopt it: CloudFormation imports only resources with DeletionPolicy Retain, and environment ${environment} allows data destruction (DeletionPolicy ${bucket.deletionPolicy}).`,
    action: `Copy out anything you need, empty it (every object version) and delete it, then deploy.`,
  }];
}

function sharedBucketFindings(name: string, state: BucketState, ownerStack: string, owner: string, environment: string): Finding[] {
  const role = `${environment}'s buckets log to it`;
  const deployOwner = `npx cdk deploy '${owner}/platform'`;
  switch (state.kind) {
    case 'free':
      return [{
        check: CHECK, status: 'problem',
        message: `${name} does not exist yet: environment ${owner} creates it (${owner}/platform) and ${role}, so the storage stacks would fail.`,
        action: `Deploy ${owner}'s platform stack first: \`${deployOwner}\`.`,
      }];
    case 'taken':
      return [{ check: CHECK, status: 'problem', message: `${name} belongs to another AWS account (HeadBucket: 403); bucket names are global.`, action: TAKEN_ACTION }];
    case 'unknown':
      return [unknownOwner(name)];
    case 'error':
      return [couldNotCheck(CHECK, `bucket ${name}`, state.error, state.permission)];
    case 'ours':
      if (state.stack === ownerStack) return [{ check: CHECK, status: 'ok', message: `${name} exists in stack ${ownerStack} (environment ${owner}); ${role}.` }];
      return [{
        check: CHECK, status: 'problem',
        message: `${name} exists but ${state.stack ? `belongs to stack ${state.stack}` : 'no stack manages it'}; environment ${owner}'s platform stack (${ownerStack}) must hold it.`,
        action: `Let ${owner}'s platform stack adopt it: \`${deployOwner} --import-existing-resources\`.`,
      }];
  }
}

function unknownOwner(name: string): Finding {
  return {
    check: CHECK, status: 'problem',
    message: `${name} exists, but HeadBucket (403) and ListBuckets were refused: preflight cannot tell whether it is this account's bucket or another's.`,
    action: `Run preflight with credentials allowed s3:ListBucket and s3:ListAllMyBuckets. If another account owns it, ${TAKEN_ACTION.charAt(0).toLowerCase()}${TAKEN_ACTION.slice(1)}`,
  };
}

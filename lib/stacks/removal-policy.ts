/**
 * What deleting a stack does to what it holds: only an environment that allows data destruction
 * (a dev sandbox) deletes buckets, keys, queues and logs with its stacks; every other keeps them.
 */
import { RemovalPolicy } from 'aws-cdk-lib';

export function removalPolicyFor(allowDataDestruction: boolean | undefined): RemovalPolicy {
  return allowDataDestruction ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

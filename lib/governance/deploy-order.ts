/**
 * Lake Formation rejects concurrent changes (ConcurrentModificationException) and grants on
 * objects that do not exist yet. CloudFormation creates independent resources in parallel, so
 * every Lake Formation resource of a stack joins one chain: each depends on the one before it.
 */
import type { CfnResource } from 'aws-cdk-lib';

export class DeployOrder {
  private readonly chain: CfnResource[] = [];

  /** Appends a resource; it will be created after everything appended before it. */
  public then<T extends CfnResource>(resource: T): T {
    const previous = this.chain[this.chain.length - 1];
    if (previous) resource.addResourceDependency(previous);
    this.chain.push(resource);
    return resource;
  }

  /** The resources in creation order. */
  public get resources(): readonly CfnResource[] {
    return this.chain;
  }
}

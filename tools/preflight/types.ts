/**
 * What every preflight check shares: the AWS clients it may call (read-only calls only), the target
 * it checks (config, environment, and facts from the synthesized app), and what it returns.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { QuickSightClient } from '@aws-sdk/client-quicksight';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { LakeConfig } from '../../lib/config/load-config';
import type { EnvironmentConfig } from '../../lib/config/platform-schema';
import type { AppFacts } from './app-facts';

export type FindingStatus = 'ok' | 'problem' | 'info';

/** One line of the report: a problem always says what to do. */
export interface Finding {
  readonly check: string;
  readonly status: FindingStatus;
  readonly message: string;
  readonly action?: string;
}

/**
 * Clients in the environment's region, except `quickSight` (the QuickSight identity region, where
 * users and groups live). IAM is global.
 */
export interface PreflightClients {
  readonly sts: STSClient;
  readonly cloudFormation: CloudFormationClient;
  readonly ssm: SSMClient;
  readonly iam: IAMClient;
  readonly lakeFormation: LakeFormationClient;
  readonly lambda: LambdaClient;
  readonly quickSight: QuickSightClient;
  readonly s3: S3Client;
}

export interface PreflightTarget {
  readonly config: LakeConfig;
  readonly environment: EnvironmentConfig;
  /** What the synthesized stacks of this environment require and create. */
  readonly app: AppFacts;
}

export type Check = (clients: PreflightClients, target: PreflightTarget) => Promise<Finding[]>;

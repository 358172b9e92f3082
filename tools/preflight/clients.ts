/**
 * The AWS clients preflight reads with, from the standard credential chain: the environment's
 * region for everything but QuickSight users and groups, which live in the identity region.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { QuickSightClient } from '@aws-sdk/client-quicksight';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { EnvironmentConfig } from '../../lib/config/platform-schema';
import type { PreflightClients } from './types';

export function createClients(environment: EnvironmentConfig): PreflightClients {
  const region = environment.region;
  return {
    sts: new STSClient({ region }),
    cloudFormation: new CloudFormationClient({ region }),
    ssm: new SSMClient({ region }),
    iam: new IAMClient({ region }),
    lakeFormation: new LakeFormationClient({ region }),
    lambda: new LambdaClient({ region }),
    quickSight: new QuickSightClient({ region: environment.quickSight?.identityRegion ?? region }),
    // A bucket of that name may live in another region: follow S3's redirect to it.
    s3: new S3Client({ region, followRegionRedirects: true }),
  };
}

export function destroyClients(clients: PreflightClients): void {
  for (const client of Object.values(clients)) client.destroy();
}

/**
 * Stubbed AWS for the preflight tests: real SDK clients whose `send` is replaced by
 * aws-sdk-client-mock, so nothing reaches the network or needs credentials. `readyAccount`
 * answers every call as an account that is ready for the sample's environment; a test then
 * changes the one answer it is about.
 */
import { CloudFormationClient, CloudFormationServiceException, DescribeStackResourcesCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeResourceCommand, EntityNotFoundException, GetDataLakeSettingsCommand, LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, LambdaClient, ResourceNotFoundException as LambdaNotFound } from '@aws-sdk/client-lambda';
import { DescribeAccountSubscriptionCommand, DescribeGroupCommand, DescribeUserCommand, QuickSightClient } from '@aws-sdk/client-quicksight';
import { HeadBucketCommand, ListBucketsCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { LakeConfig } from '../../lib/config/load-config';
import { STORAGE_LAYERS, accessLogBucketName, dataBucketName, lobStackName, platformStackName } from '../../lib/config/names';
import type { EnvironmentConfig } from '../../lib/config/platform-schema';
import { ownsAccountRegion } from '../../lib/stages/data-lake-stage';
import type { AppFacts, Reservation } from '../../tools/preflight/app-facts';
import type { PreflightClients, PreflightTarget } from '../../tools/preflight/types';
import { sampleConfig } from '../helpers/sample-app';

const credentials = { accessKeyId: 'AKIDSTUB', secretAccessKey: 'stub' };

export function stubClients() {
  const clients = {
    sts: new STSClient({ region: 'eu-west-1', credentials }),
    cloudFormation: new CloudFormationClient({ region: 'eu-west-1', credentials }),
    ssm: new SSMClient({ region: 'eu-west-1', credentials }),
    iam: new IAMClient({ region: 'eu-west-1', credentials }),
    lakeFormation: new LakeFormationClient({ region: 'eu-west-1', credentials }),
    lambda: new LambdaClient({ region: 'eu-west-1', credentials }),
    quickSight: new QuickSightClient({ region: 'eu-west-1', credentials }),
    s3: new S3Client({ region: 'eu-west-1', credentials }),
  } satisfies PreflightClients;
  const mocks = {
    sts: mockClient(clients.sts),
    cloudFormation: mockClient(clients.cloudFormation),
    ssm: mockClient(clients.ssm),
    iam: mockClient(clients.iam),
    lakeFormation: mockClient(clients.lakeFormation),
    lambda: mockClient(clients.lambda),
    quickSight: mockClient(clients.quickSight),
    s3: mockClient(clients.s3),
  };
  return { clients, mocks };
}
export type Mocks = ReturnType<typeof stubClients>['mocks'];

/** An AWS error as the SDK raises it: its code as `name`, the HTTP status in `$metadata`. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return new CloudFormationServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message });
}

export const s3NotFound = () => new NotFound({ $metadata: { httpStatusCode: 404 }, message: 'NotFound' });
export const s3Forbidden = () => new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Forbidden' });
export const stackMissing = (name: string) => awsError('ValidationError', `Stack with id ${name} does not exist`);

export const CALLER = 'arn:aws:sts::111111111111:assumed-role/Deployer/jane';

/** Every answer of an account that is ready for `environment` of the sample config. */
export function readyAccount(mocks: Mocks, environment: EnvironmentConfig = sampleEnvironment('dev')): void {
  const { account } = environment;
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: account, Arn: CALLER.replace('111111111111', account), UserId: 'AROASTUB:jane' });
  mocks.cloudFormation.on(DescribeStacksCommand).callsFake((input: { StackName?: string }) => Promise.reject(stackMissing(input.StackName ?? '')));
  mocks.cloudFormation.on(DescribeStacksCommand, { StackName: 'CDKToolkit' }).resolves({ Stacks: [toolkitStack('UPDATE_COMPLETE', '30')] });
  mocks.cloudFormation.on(DescribeStackResourcesCommand).rejects(awsError('ValidationError', 'Stack for the resource does not exist'));
  mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/cdk-bootstrap/hnb659fds/version', Value: '30', Type: 'String' } });
  mocks.iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => Promise.resolve({ Role: role(account, input.RoleName) }));
  mocks.iam.on(GetUserCommand).callsFake((input: { UserName: string }) => Promise.resolve({
    User: { Path: '/', UserName: input.UserName, UserId: 'AIDASTUB', Arn: `arn:aws:iam::${account}:user/${input.UserName}`, CreateDate: new Date(0) },
  }));
  mocks.lakeFormation.on(GetDataLakeSettingsCommand).resolves({ DataLakeSettings: { DataLakeAdmins: [], CreateDatabaseDefaultPermissions: [], CreateTableDefaultPermissions: [] } });
  mocks.lakeFormation.on(DescribeResourceCommand).rejects(new EntityNotFoundException({ $metadata: { httpStatusCode: 400 }, message: 'Entity not found' }));
  mocks.lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
  mocks.lambda.on(GetFunctionConcurrencyCommand).rejects(new LambdaNotFound({ $metadata: { httpStatusCode: 404 }, message: 'Function not found' }));
  mocks.quickSight.on(DescribeAccountSubscriptionCommand).resolves({ AccountInfo: { Edition: 'ENTERPRISE', AccountSubscriptionStatus: 'ACCOUNT_CREATED' } });
  mocks.quickSight.on(DescribeGroupCommand).resolves({ Group: { GroupName: 'lake-bi-authors' } });
  mocks.quickSight.on(DescribeUserCommand).resolves({ User: { UserName: 'jane' } });
  mocks.s3.on(HeadBucketCommand).rejects(s3NotFound());
  mocks.s3.on(ListBucketsCommand).resolves({ Buckets: [] });
}

export function role(account: string, name: string, path = '/') {
  return { Path: path, RoleName: name, RoleId: 'AROASTUB', Arn: `arn:aws:iam::${account}:role${path}${name}`, CreateDate: new Date(0) };
}

export function toolkitStack(status: string, version: string | undefined, qualifier = 'hnb659fds') {
  return {
    StackName: 'CDKToolkit', StackStatus: status as 'UPDATE_COMPLETE', CreationTime: new Date(0),
    Outputs: version === undefined ? [] : [{ OutputKey: 'BootstrapVersion', OutputValue: version }],
    Parameters: [{ ParameterKey: 'Qualifier', ParameterValue: qualifier }],
  };
}

export function sampleEnvironment(name: string, config: LakeConfig = sampleConfig()): EnvironmentConfig {
  return config.platform.environments.find((environment) => environment.name === name)!;
}

/**
 * The facts synthesis yields for an environment of `config` (app-facts.test.ts checks this against
 * a real synthesis of the sample): bootstrap version 6, the default qualifier, the platform's
 * access-log bucket (always retained) and the data buckets, retained unless data destruction is allowed.
 */
export function expectedFacts(config: LakeConfig, environment: EnvironmentConfig, reservations: readonly Reservation[] = []): AppFacts {
  const names = { organisation: config.platform.organisation, environment: environment.name, account: environment.account, region: environment.region };
  const dataPolicy = environment.allowDataDestruction ? 'Delete' : 'Retain';
  return {
    bootstrap: { qualifier: 'hnb659fds', toolkitStackName: 'CDKToolkit', minimumVersion: 6, versionParameter: '/cdk-bootstrap/hnb659fds/version' },
    reservations,
    buckets: [
      ...(ownsAccountRegion(config.platform, environment)
        ? [{ name: accessLogBucketName(names), stackName: platformStackName(config.platform.organisation), stackPath: `${environment.name}/platform`, deletionPolicy: 'Retain' }]
        : []),
      ...config.lobs.flatMap((lob) => STORAGE_LAYERS.map((layer) => ({
        name: dataBucketName(names, lob.name, layer), stackName: lobStackName(names, lob.name, 'storage'), stackPath: `${environment.name}/${lob.name}-storage`, deletionPolicy: dataPolicy,
      }))),
    ],
  };
}

export function sampleTarget(environmentName = 'dev', config: LakeConfig = sampleConfig(), app?: AppFacts): PreflightTarget {
  const environment = sampleEnvironment(environmentName, config);
  return { config, environment, app: app ?? expectedFacts(config, environment) };
}

/**
 * Athena for one line of business in one environment: a workgroup per persona (engine v3,
 * settings enforced, results under `<workgroup>/` in the LoB's results bucket encrypted with the
 * results key, a per-query scan cutoff, CloudWatch metrics), the LoB's named queries in each, and
 * the IAM each persona role needs to use its own workgroup. What a persona may read is still
 * decided by Lake Formation (GovernanceStack).
 *
 * Athena does not write into the lake: CTAS and INSERT write their files encrypted the way the
 * workgroup's (enforced) result configuration says, with the results key, and every layer bucket
 * refuses uploads under any key but its own. Curated tables are written by the Glue jobs.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { namedQueries, renderQuery } from '../analytics/named-queries';
import { acknowledgeWildcardResources } from '../compliance/security-baseline';
import { LakeParameters } from '../constructs/lake-parameters';
import type { LobConfig } from '../config/lob-schema';
import { type NameScope, dataBucketName, glueDatabaseName, lobRoleName, personaWorkgroupName } from '../config/names';
import { athenaWorkgroupArn, bucketArn, listBucket, objectArns, readWriteUploads } from '../permissions';
import type { StorageStack } from './storage-stack';
import { removalPolicyFor } from './removal-policy';

export interface AnalyticsStackProps extends StackProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly storage: StorageStack;
  readonly allowDataDestruction: boolean;
}

const MB = 1024 * 1024;

export class AnalyticsStack extends Stack {
  /** Workgroups by persona name. */
  public readonly workgroups = new Map<string, athena.CfnWorkGroup>();

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const { names, lob, storage } = props;
    new LakeParameters(this, 'Parameters', names, lob.name,
      Object.fromEntries(lob.personas.map((persona) => [`workgroups/${persona.name}`, personaWorkgroupName(names, lob.name, persona.name)])));
    const resultsBucket = dataBucketName(names, lob.name, 'results');
    const resultsKey = storage.layers.results.encryptionKey.keyArn;
    const queries = namedQueries(lob.name);

    for (const persona of lob.personas) {
      const name = personaWorkgroupName(names, lob.name, persona.name);
      const workgroup = new athena.CfnWorkGroup(this, `${persona.name}-workgroup`, {
        name,
        // Query results and CTAS/INSERT files are encrypted with the results key, which the layer
        // buckets refuse (DataLakeBucket): tables in the lake are written by the Glue jobs.
        description: `Athena for persona ${persona.name} of ${lob.name} (${names.environment}). Reads the lake; CTAS and INSERT into its layers are refused (Lakeworks docs/operations.md, Writing to the lake)`,
        state: 'ENABLED',
        recursiveDeleteOption: props.allowDataDestruction,
        workGroupConfiguration: {
          enforceWorkGroupConfiguration: true,
          engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
          publishCloudWatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: lob.analytics.bytesScannedCutoffMb * MB,
          requesterPaysEnabled: false,
          resultConfiguration: {
            outputLocation: `s3://${resultsBucket}/${name}/`,
            expectedBucketOwner: this.account,
            encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: resultsKey },
          },
        },
      });
      workgroup.applyRemovalPolicy(removalPolicyFor(props.allowDataDestruction));
      this.workgroups.set(persona.name, workgroup);

      for (const query of queries) {
        const named = new athena.CfnNamedQuery(this, `${persona.name}-${query.name}`, {
          name: query.name,
          description: query.description.slice(0, 1024),
          database: glueDatabaseName(names, lob.name, 'enriched'),
          workGroup: name,
          queryString: renderQuery(query.template, (layer) => glueDatabaseName(names, lob.name, layer)),
        });
        named.addResourceDependency(workgroup);
      }

      // The persona role (GovernanceStack) may run queries in its own workgroup and nowhere else.
      const workgroupArn = athenaWorkgroupArn(this, name);
      const results = bucketArn(this, resultsBucket);
      const resultObjects = objectArns(results, [`${name}/`]);
      const policy = new iam.ManagedPolicy(this, `${persona.name}-athena-policy`, {
        description: `Persona ${persona.name} of ${lob.name} uses its Athena workgroup (${names.environment})`,
        roles: [iam.Role.fromRoleName(this, `${persona.name}-role`, lobRoleName(names, lob.name, persona.name))],
        statements: [
          new iam.PolicyStatement({
            sid: 'UseOwnWorkgroup',
            actions: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
              'athena:GetWorkGroup', 'athena:ListNamedQueries', 'athena:GetNamedQuery', 'athena:BatchGetNamedQuery', 'athena:ListQueryExecutions'],
            resources: [workgroupArn],
          }),
          listBucket('FindResultsBucket', [results], { locate: true }),
          ...readWriteUploads({ sid: 'ReadWriteOwnResults', objects: resultObjects, keySid: 'UseResultsKey', keys: [resultsKey] }),
        ],
      });
      acknowledgeWildcardResources(policy, resultObjects, 'Query results under the workgroup\'s own prefix; Athena names the files.');
    }
  }
}

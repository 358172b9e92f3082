/**
 * The Glue Data Catalog of one line of business in one environment:
 * - a database per layer, with no IAMAllowedPrincipals default so Lake Formation alone grants access;
 * - a standardized table per dataset, declared from config (raw formats are discovered instead);
 * - two crawlers per dataset over its raw prefix: an incremental one that picks up new folders,
 *   and a weekly full one that applies schema changes and marks vanished tables deprecated
 *   (Glue only allows LOG behaviours on incremental crawls, so one crawler cannot do both);
 * - a Glue security configuration per layer, so what a crawler or job writes (S3 objects, logs,
 *   job bookmarks) is encrypted with the key of the layer it writes.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ERRORS_PREFIX, rawPrefix } from '../../contract/raw-layout';
import { QUARANTINE_PREFIX } from '../../contract/standardized-layout';
import { standardizedTableInput } from '../catalog/standardized-table';
import type { LobConfig } from '../config/lob-schema';
import {
  DATA_LAYERS, type DataLayer, GLUE_CRAWLER_LOG_GROUP_PATTERN, type NameScope, crawlerName, dataBucketName, glueDatabaseName, glueSecurityConfigurationName, lobRoleName,
} from '../config/names';
import { acknowledgeWildcardResources } from '../compliance/security-baseline';
import {
  bucketArn, glueCatalogArn, glueDatabaseArn, glueTableArn, listBucket, logGroupArn, logsCreateEncrypted, objectArns, readObjects,
} from '../permissions';
import type { StorageStack } from './storage-stack';

export interface CatalogStackProps extends StackProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly storage: StorageStack;
}

/** Paths crawlers never read: Firehose failures and records the transform rejected. */
export const CRAWLER_EXCLUSIONS = [`${ERRORS_PREFIX}**`, `${QUARANTINE_PREFIX}**`, '**/_temporary/**', '**.crc'];

/**
 * Glue's crawler `TableLevelConfiguration` for a table at `url`: the absolute level of its folder,
 * counted from the bucket, which is level 1 (Glue developer guide, "Specifying the table location
 * and partitioning level"). `s3://bucket/landing/prices/` is level 3: one table per dataset, and
 * what lies below (`ingest_date=…/`) becomes its partitions.
 */
export function crawlerTableLevel(url: string): number {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(url);
  if (!match) throw new Error(`expected an s3://bucket/prefix/ URL; got ${url}`);
  return 1 + match[2].split('/').filter((part) => part.length > 0).length;
}

export class CatalogStack extends Stack {
  public readonly databases: Readonly<Record<DataLayer, glue.CfnDatabase>>;
  /** Standardized tables by dataset name. */
  public readonly standardizedTables: ReadonlyMap<string, glue.CfnTable>;
  public readonly securityConfigurations: Readonly<Record<DataLayer, glue.CfnSecurityConfiguration>>;
  public readonly crawlerRole: iam.Role;
  /**
   * The curation jobs' role. Created here, before GovernanceStack grants it Lake Formation
   * permissions (a grant to a role that does not exist yet fails the deploy); CurationStack
   * attaches its policy.
   */
  public readonly curationRole: iam.Role;

  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    super(scope, id, props);
    const { names, lob, storage } = props;

    const databases = {} as Record<DataLayer, glue.CfnDatabase>;
    const securityConfigurations = {} as Record<DataLayer, glue.CfnSecurityConfiguration>;
    for (const layer of DATA_LAYERS) {
      databases[layer] = new glue.CfnDatabase(this, `${layer}-database`, {
        catalogId: this.account,
        databaseInput: {
          name: glueDatabaseName(names, lob.name, layer),
          description: `${lob.name} ${layer} layer (${names.environment})`,
          locationUri: `s3://${dataBucketName(names, lob.name, layer)}/`,
          // Empty, not absent: new tables get no IAMAllowedPrincipals grant even in an account
          // whose Lake Formation defaults were never changed.
          createTableDefaultPermissions: [],
        },
      });
      const keyArn = storage.layers[layer].encryptionKey.keyArn;
      securityConfigurations[layer] = new glue.CfnSecurityConfiguration(this, `${layer}-security-configuration`, {
        name: glueSecurityConfigurationName(names, lob.name, layer),
        encryptionConfiguration: {
          s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: keyArn }],
          cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: keyArn },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: keyArn },
        },
      });
    }
    this.databases = databases;
    this.securityConfigurations = securityConfigurations;

    const standardizedBucket = dataBucketName(names, lob.name, 'standardized');
    const tables = new Map<string, glue.CfnTable>();
    for (const dataset of lob.datasets) {
      const table = new glue.CfnTable(this, `${dataset.name}-standardized-table`, {
        catalogId: this.account,
        databaseName: glueDatabaseName(names, lob.name, 'standardized'),
        tableInput: standardizedTableInput(dataset, standardizedBucket),
      });
      table.addResourceDependency(databases.standardized);
      tables.set(dataset.name, table);
    }
    this.standardizedTables = tables;

    this.crawlerRole = this.createCrawlerRole(names, lob, storage);
    this.curationRole = new iam.Role(this, 'CurationRole', {
      roleName: lobRoleName(names, lob.name, 'curation'),
      description: `Glue curation jobs of ${lob.name} (${names.environment}); its policy is in the curation stack`,
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
    });
    for (const dataset of lob.datasets) {
      const path = `s3://${dataBucketName(names, lob.name, 'raw')}/${rawPrefix(dataset.name, dataset.ingest)}`;
      const common = {
        role: this.crawlerRole.roleArn,
        databaseName: glueDatabaseName(names, lob.name, 'raw'),
        targets: { s3Targets: [{ path, exclusions: CRAWLER_EXCLUSIONS }] },
        crawlerSecurityConfiguration: securityConfigurations.raw.name,
        // One table per dataset, at `<prefix>/<dataset>/`, however its files are partitioned below.
        configuration: JSON.stringify({ Version: 1.0, Grouping: { TableLevelConfiguration: crawlerTableLevel(path) }, CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } } }),
        lakeFormationConfiguration: { useLakeFormationCredentials: false },
      };
      const incremental = new glue.CfnCrawler(this, `${dataset.name}-incremental-crawler`, {
        ...common,
        name: crawlerName(names, lob.name, dataset.name, 'incremental'),
        description: `New folders under ${path}`,
        schedule: { scheduleExpression: lob.catalog.crawlSchedule },
        recrawlPolicy: { recrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' },
        schemaChangePolicy: { updateBehavior: 'LOG', deleteBehavior: 'LOG' },
      });
      const full = new glue.CfnCrawler(this, `${dataset.name}-full-crawler`, {
        ...common,
        name: crawlerName(names, lob.name, dataset.name, 'full'),
        description: `All of ${path}: applies schema changes, deprecates deleted tables`,
        schedule: { scheduleExpression: lob.catalog.fullCrawlSchedule },
        recrawlPolicy: { recrawlBehavior: 'CRAWL_EVERYTHING' },
        schemaChangePolicy: { updateBehavior: 'UPDATE_IN_DATABASE', deleteBehavior: 'DEPRECATE_IN_DATABASE' },
      });
      // The crawlers name their role by GetAtt, so CloudFormation creates it (policy attached) first.
      for (const crawler of [incremental, full]) {
        crawler.addResourceDependency(databases.raw);
        crawler.addResourceDependency(securityConfigurations.raw);
      }
    }
  }

  /** Reads raw (and decrypts with the raw key), maintains raw tables, writes its own logs. Nothing else. */
  private createCrawlerRole(names: NameScope, lob: LobConfig, storage: StorageStack): iam.Role {
    const rawBucketArn = bucketArn(this, dataBucketName(names, lob.name, 'raw'));
    const prefixes = [...new Set(lob.datasets.map((dataset) => rawPrefix(dataset.name, dataset.ingest)))];
    const rawDatabase = glueDatabaseName(names, lob.name, 'raw');
    const datasetObjects = objectArns(rawBucketArn, prefixes);
    const tableArns = [glueTableArn(this, rawDatabase, '*')];
    const crawlerLogs = logGroupArn(this, GLUE_CRAWLER_LOG_GROUP_PATTERN);
    const logGroupArns = [crawlerLogs, `${crawlerLogs}:*`];

    const policy = new iam.ManagedPolicy(this, 'CrawlerPolicy', {
      description: `Least privilege for the ${lob.name} raw-layer crawlers (${names.environment})`,
      statements: [
        listBucket('ListDatasetPrefixes', [rawBucketArn], { prefixes }),
        ...readObjects({ sid: 'ReadDatasetObjects', objects: datasetObjects, keySid: 'DecryptRaw', keys: [storage.layers.raw.encryptionKey.keyArn] }),
        new iam.PolicyStatement({
          sid: 'MaintainRawTables',
          actions: [
            'glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable', 'glue:GetPartition',
            'glue:GetPartitions', 'glue:BatchGetPartition', 'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition',
          ],
          resources: [glueCatalogArn(this), glueDatabaseArn(this, rawDatabase), ...tableArns],
        }),
        logsCreateEncrypted('WriteEncryptedCrawlerLogs', logGroupArns),
      ],
    });
    acknowledgeWildcardResources(policy, datasetObjects, 'Objects under one dataset\'s raw prefix: object keys are not known in advance.');
    acknowledgeWildcardResources(policy, tableArns, 'Crawlers create the raw tables they discover, so their names are not known in advance; scoped to the raw database.');
    acknowledgeWildcardResources(policy, logGroupArns, 'Glue names crawler log groups and streams itself under /aws-glue/crawlers.');

    return new iam.Role(this, 'CrawlerRole', {
      roleName: lobRoleName(names, lob.name, 'crawler'),
      description: `Glue crawlers of ${lob.name} raw datasets (${names.environment})`,
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      managedPolicies: [policy],
    });
  }
}

import { Match } from 'aws-cdk-lib/assertions';
import { hiveTypeOf, parseColumnType } from '../../contract/column-types';
import { pathOnlyColumns } from '../../contract/partitioning';
import { rawPrefix } from '../../contract/raw-layout';
import { DATA_LAYERS, crawlerName, dataBucketName, glueDatabaseName, glueSecurityConfigurationName } from '../../lib/config/names';
import { CRAWLER_EXCLUSIONS, crawlerTableLevel } from '../../lib/stacks/catalog-stack';
import { lobStackCases, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

const cases = lobStackCases((stacks) => stacks.catalog);

describe.each(cases)('$environment/$lob-catalog', ({ lob, stack, environment, lobConfig, names }) => {
  const template = templateOf(stack);
  const json = template.toJSON();
  const resources = Object.values(json.Resources) as Array<{ Type: string; Properties: any; DependsOn?: string[] }>;

  describeTemplateSnapshot(json);

  test('has a database per layer, named for Glue and Athena, with no IAMAllowedPrincipals default', () => {
    const databases = resources.filter((r) => r.Type === 'AWS::Glue::Database').map((r) => r.Properties.DatabaseInput);
    expect(databases.map((d) => d.Name)).toEqual(DATA_LAYERS.map((layer) => glueDatabaseName(names, lob, layer)));
    for (const database of databases) {
      expect(database.Name).toMatch(/^[a-z0-9_]{1,255}$/);
      expect(database.CreateTableDefaultPermissions).toEqual([]);
    }
  });

  test.each(lobConfig.datasets.map((d) => [d.name, d] as const))('the %s standardized table matches its config exactly', (_name, dataset) => {
    const tables = resources.filter((r) => r.Type === 'AWS::Glue::Table' && r.Properties.TableInput.Name === dataset.name);
    expect(tables).toHaveLength(1);
    const { Properties: table } = tables[0];
    expect(table.DatabaseName).toBe(glueDatabaseName(names, lob, 'standardized'));
    const hive = (name: string) => hiveTypeOf(parseColumnType(dataset.schema.find((c) => c.name === name)!.type)!);
    // The sample LoBs partition by columns' own values (coarser grains: test/catalog/standardized-table.test.ts).
    const partitionColumns = pathOnlyColumns(dataset.partitionColumns);
    expect(partitionColumns).toEqual(dataset.partitionColumns);
    const dataColumns = dataset.schema.filter((c) => !partitionColumns.includes(c.name));
    expect(table.TableInput.StorageDescriptor.Columns.map((c: any) => ({ Name: c.Name, Type: c.Type })))
      .toEqual(dataColumns.map((c) => ({ Name: c.name, Type: hive(c.name) })));
    expect(table.TableInput.PartitionKeys.map((c: any) => ({ Name: c.Name, Type: c.Type })))
      .toEqual(partitionColumns.map((name) => ({ Name: name, Type: hive(name) })));
    expect(table.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(table.TableInput.StorageDescriptor.Location).toBe(`s3://${dataBucketName(names, lob, 'standardized')}/${dataset.name}/`);
    // An unpartitioned dataset (marketing accounts) has nothing to project.
    expect(table.TableInput.Parameters).toMatchObject({ 'classification': 'parquet', ...(dataset.partitionColumns.length > 0 ? { 'projection.enabled': 'true' } : {}) });
    for (const column of partitionColumns) {
      expect(table.TableInput.Parameters[`projection.${column}.type`]).toMatch(/^(date|enum)$/);
    }
  });

  test('projects dates from the configured start and regions from their allowed values', () => {
    if (lob === 'finance') {
      template.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'stock_prices', Parameters: Match.objectLike({ 'projection.date.range': '1990-01-01,NOW' }) }) });
    } else {
      template.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'leads', Parameters: Match.objectLike({ 'projection.region.type': 'enum', 'projection.region.values': 'AMER,EMEA,APAC' }) }) });
    }
  });

  test.each(lobConfig.datasets.map((d) => [d.name, d] as const))('the %s raw prefix has an incremental and a full crawler', (_name, dataset) => {
    const path = `s3://${dataBucketName(names, lob, 'raw')}/${rawPrefix(dataset.name, dataset.ingest)}`;
    const common = {
      DatabaseName: glueDatabaseName(names, lob, 'raw'),
      Targets: { S3Targets: [{ Path: path, Exclusions: CRAWLER_EXCLUSIONS }] },
      CrawlerSecurityConfiguration: glueSecurityConfigurationName(names, lob, 'raw'),
    };
    template.hasResourceProperties('AWS::Glue::Crawler', {
      ...common,
      Name: crawlerName(names, lob, dataset.name, 'incremental'),
      Schedule: { ScheduleExpression: lobConfig.catalog.crawlSchedule },
      RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' },
      SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' },
    });
    template.hasResourceProperties('AWS::Glue::Crawler', {
      ...common,
      Name: crawlerName(names, lob, dataset.name, 'full'),
      Schedule: { ScheduleExpression: lobConfig.catalog.fullCrawlSchedule },
      RecrawlPolicy: { RecrawlBehavior: 'CRAWL_EVERYTHING' },
      SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' },
    });
    expect(CRAWLER_EXCLUSIONS).toEqual(expect.arrayContaining(['errors/**', 'quarantine/**']));
  });

  test('each crawler makes one table per dataset, at <prefix>/<dataset>/: its table level is that folder\'s, counting the bucket as level 1', () => {
    const crawlers = resources.filter((r) => r.Type === 'AWS::Glue::Crawler');
    expect(crawlers).toHaveLength(lobConfig.datasets.length * 2);
    for (const crawler of crawlers) {
      const [target] = crawler.Properties.Targets.S3Targets;
      // s3://<raw bucket>/landing/<dataset>/: the bucket is level 1, landing/ (or stream/) 2, the dataset 3.
      const [bucket, ...folders] = (target.Path as string).replace(/^s3:\/\//, '').split('/').filter((part) => part !== '');
      expect(bucket).toBe(dataBucketName(names, lob, 'raw'));
      expect(folders).toHaveLength(2);
      expect(['landing', 'stream']).toContain(folders[0]);
      expect(lobConfig.datasets.map((d) => d.name)).toContain(folders[1]);
      const configuration = JSON.parse(crawler.Properties.Configuration);
      expect(configuration.Grouping.TableLevelConfiguration).toBe(1 + folders.length);
      expect(configuration.CrawlerOutput.Partitions.AddOrUpdateBehavior).toBe('InheritFromTable');
    }
  });

  test.each(DATA_LAYERS)('the %s security configuration encrypts S3, logs and bookmarks with that layer\'s key', (layer) => {
    const keyOf = (ref: any) => ref['Fn::GetStackOutput'];
    const configuration = resources.find((r) => r.Type === 'AWS::Glue::SecurityConfiguration' && r.Properties.Name === glueSecurityConfigurationName(names, lob, layer))!;
    const encryption = configuration.Properties.EncryptionConfiguration;
    const pascal = layer.charAt(0).toUpperCase() + layer.slice(1);
    for (const keyRef of [encryption.S3Encryptions[0].KmsKeyArn, encryption.CloudWatchEncryption.KmsKeyArn, encryption.JobBookmarksEncryption.KmsKeyArn]) {
      expect(keyOf(keyRef)).toMatchObject({ StackName: `acme-${environment}-${lob}-storage`, OutputName: expect.stringContaining(`${pascal}Key`) });
    }
    expect(encryption.S3Encryptions[0].S3EncryptionMode).toBe('SSE-KMS');
    expect(encryption.CloudWatchEncryption.CloudWatchEncryptionMode).toBe('SSE-KMS');
    expect(encryption.JobBookmarksEncryption.JobBookmarksEncryptionMode).toBe('CSE-KMS');
  });

  test('the crawler role reads only its raw prefixes, decrypts only the raw key, and touches only the raw database', () => {
    const policy = resources.find((r) => r.Type === 'AWS::IAM::ManagedPolicy')!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const resourcesOf = (sid: string) => [statements.find((s) => s.Sid === sid).Resource].flat();
    const rawBucket = `arn:aws:s3:::${dataBucketName(names, lob, 'raw')}`;
    expect(resourcesOf('ReadDatasetObjects').sort()).toEqual([...new Set(lobConfig.datasets.map((d) => `${rawBucket}/${rawPrefix(d.name, d.ingest)}*`))].sort());
    expect(resourcesOf('DecryptRaw')).toEqual([{ 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringContaining('RawKey') }) }]);
    const rawDb = glueDatabaseName(names, lob, 'raw');
    for (const arn of resourcesOf('MaintainRawTables')) expect(arn).toMatch(new RegExp(`:(catalog|database/${rawDb}|table/${rawDb}/\\*)$`));
    for (const statement of statements) expect([statement.Action].flat().every((action: string) => !action.includes('*'))).toBe(true);
  });
});

test('crawlerTableLevel counts levels as Glue documents them: the bucket is level 1', () => {
  // Glue developer guide, "Specifying the table location and partitioning level": for
  // mydataset/year/month/day/hour, level 3 puts the table at mydataset/year/month.
  expect(crawlerTableLevel('s3://mydataset/year/month/')).toBe(3);
  expect(crawlerTableLevel('s3://bucket/landing/stock_prices/')).toBe(3);
  expect(crawlerTableLevel('s3://bucket/')).toBe(1);
  expect(() => crawlerTableLevel('bucket/landing/')).toThrow('expected an s3://bucket/prefix/ URL');
});

/**
 * The storage of one line of business in one environment: a KMS key and a bucket per layer
 * (raw, standardized, conformed, enriched) plus the Athena query-results bucket.
 */
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { resolveLifecycle } from '../config/lifecycle-defaults';
import type { LobConfig } from '../config/lob-schema';
import {
  GLUE_LOG_GROUP_PATTERN, type NameScope, STORAGE_LAYERS, type StorageLayer, accessLogBucketName, dataBucketName, layerKeyAlias, lobRoleName,
} from '../config/names';
import { DataLakeBucket } from '../constructs/data-lake-bucket';
import { LakeParameters } from '../constructs/lake-parameters';
import { roleArn } from '../permissions';
import { removalPolicyFor } from './removal-policy';

export interface StorageStackProps extends StackProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  /** Whether deleting the stack deletes its (empty) buckets and schedules its keys for deletion. */
  readonly allowDataDestruction: boolean;
}

/** Glue roles (by purpose, see lobRoleName) that write each layer. */
const GLUE_WRITERS: Record<StorageLayer, string[]> = {
  raw: ['crawler'], standardized: ['curation'], conformed: ['curation'], enriched: ['curation'], results: [],
};

const PURPOSE: Record<StorageLayer, string> = {
  raw: 'raw data as received',
  standardized: 'typed Parquet and quarantined records',
  conformed: 'conformed tables',
  enriched: 'enriched tables',
  results: 'Athena query results',
};

export class StorageStack extends Stack {
  /** Every bucket of the LoB by layer, for the stacks that read and write them. */
  public readonly layers: Readonly<Record<StorageLayer, DataLakeBucket>>;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const { names, lob } = props;
    // The shared log bucket is found by its derived name: it may live in another environment's stage.
    const accessLogsBucket = s3.Bucket.fromBucketName(this, 'AccessLogs', accessLogBucketName(names));
    const removalPolicy = removalPolicyFor(props.allowDataDestruction);

    const layers = {} as Record<StorageLayer, DataLakeBucket>;
    for (const layer of STORAGE_LAYERS) {
      const bucketName = dataBucketName(names, lob.name, layer);
      const layerBucket = new DataLakeBucket(this, pascal(layer), {
        bucketName,
        keyAlias: layerKeyAlias(names, lob.name, layer),
        purpose: `${lob.name} ${PURPOSE[layer]}`,
        accessLogsBucket,
        accessLogsPrefix: `${bucketName}/`,
        lifecycle: resolveLifecycle(layer, lob.storage[layer]),
        removalPolicy,
        // Glue crawlers and jobs encrypt their logs with the key of the layer they write.
        cloudWatchLogGroups: layer === 'results' ? undefined : GLUE_LOG_GROUP_PATTERN,
        // New raw objects start the transform through EventBridge.
        eventBridge: layer === 'raw',
        // Glue jobs and crawlers encrypt bookmarks client-side with the key of the layer they write.
        directKeyUserRoleArns: GLUE_WRITERS[layer].map((purpose) => roleArn(this, lobRoleName(names, lob.name, purpose))),
      });
      Tags.of(layerBucket).add('layer', layer);
      new CfnOutput(this, `${pascal(layer)}BucketName`, { value: layerBucket.bucket.bucketName, description: `${layer} bucket` });
      new CfnOutput(this, `${pascal(layer)}KeyArn`, { value: layerBucket.encryptionKey.keyArn, description: `${layer} KMS key` });
      layers[layer] = layerBucket;
    }
    this.layers = layers;
    new LakeParameters(this, 'Parameters', names, lob.name,
      Object.fromEntries(STORAGE_LAYERS.map((layer) => [`buckets/${layer}`, dataBucketName(names, lob.name, layer)])));
  }
}

function pascal(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

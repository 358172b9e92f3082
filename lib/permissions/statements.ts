/**
 * Named statement builders: every managed policy in the lake is assembled from these, so that a
 * grant of S3 objects in an SSE-KMS bucket always comes with the statement for the bucket's key
 * (modelled on aws-cdk-lib's bucket grants, which pair them the same way), and each kind of access
 * has one spelling. Each builder takes the statement ids the policy shows, since runbooks and
 * access reviews refer to them.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  GLUE_CATALOG_ACTIONS, KMS_ACTIONS, LAKE_FORMATION_ACTIONS, LOGS_ACTIONS, S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS, SECRETS_MANAGER_ACTIONS, SNS_ACTIONS, SQS_ACTIONS,
  XRAY_ACTIONS,
} from './actions';

/** Objects of an SSE-KMS bucket and the key that encrypts them. */
export interface EncryptedObjects {
  /** Sid of the S3 statement. */
  readonly sid: string;
  /** Object ARNs or patterns (arns.objectArns). */
  readonly objects: readonly string[];
  /** Sid of the paired KMS statement. */
  readonly keySid: string;
  /** The bucket's key, or keys when the objects span buckets. */
  readonly keys: readonly string[];
}

function statement(sid: string, actions: readonly string[], resources: readonly string[], conditions?: Record<string, unknown>): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid, actions: [...actions], resources: [...resources], ...(conditions ? { conditions } : {}) });
}

/** The S3 statement and its KMS statement, in that order. */
function paired(target: EncryptedObjects, objectActions: readonly string[], keyActions: readonly string[]): [iam.PolicyStatement, iam.PolicyStatement] {
  return [statement(target.sid, objectActions, target.objects), keyStatement(target.keySid, keyActions, target.keys)];
}

/** Read objects and decrypt them; `versions` also reads older versions. */
export function readObjects(target: EncryptedObjects & { readonly versions?: boolean }): [iam.PolicyStatement, iam.PolicyStatement] {
  return paired(target, target.versions ? S3_OBJECT_ACTIONS.readVersions : S3_OBJECT_ACTIONS.read, KMS_ACTIONS.decrypt);
}

/** Write and delete objects, encrypting them; no read. */
export function writeObjects(target: EncryptedObjects): [iam.PolicyStatement, iam.PolicyStatement] {
  return paired(target, S3_OBJECT_ACTIONS.writeDelete, KMS_ACTIONS.encrypt);
}

/**
 * Read, write and delete objects. `withoutPlaintext` adds GenerateDataKeyWithoutPlaintext, which
 * Lake Formation's credential vending uses.
 */
export function readWriteObjects(target: EncryptedObjects & { readonly withoutPlaintext?: boolean }): [iam.PolicyStatement, iam.PolicyStatement] {
  return paired(target, S3_OBJECT_ACTIONS.readWriteDelete, target.withoutPlaintext ? KMS_ACTIONS.readWriteWithoutPlaintext : KMS_ACTIONS.readWrite);
}

/** Read and write objects in multipart uploads (query results), never delete. */
export function readWriteUploads(target: EncryptedObjects): [iam.PolicyStatement, iam.PolicyStatement] {
  return paired(target, S3_OBJECT_ACTIONS.readWriteUpload, KMS_ACTIONS.encrypt);
}

/**
 * Objects only, for a caller that states the key separately (one key statement over several
 * object statements) or for an unencrypted bucket (the CDK assets bucket).
 */
export function objectStatement(sid: string, access: keyof typeof S3_OBJECT_ACTIONS, objects: readonly string[]): iam.PolicyStatement {
  return statement(sid, S3_OBJECT_ACTIONS[access], objects);
}

/** A KMS statement on keys by named action list. */
export function keyStatement(sid: string, actions: readonly string[], keys: readonly string[]): iam.PolicyStatement {
  return statement(sid, actions, keys);
}

/** List buckets, optionally only under key prefixes; `locate` also finds the bucket's region. */
export function listBucket(sid: string, buckets: readonly string[], options: { readonly prefixes?: readonly string[]; readonly locate?: boolean } = {}): iam.PolicyStatement {
  const conditions = options.prefixes ? { StringLike: { 's3:prefix': options.prefixes.map((prefix) => `${prefix}*`) } } : undefined;
  return statement(sid, options.locate ? S3_BUCKET_ACTIONS.locateList : S3_BUCKET_ACTIONS.list, buckets, conditions);
}

/**
 * Read catalog metadata: the catalog, then database ARNs, then table ARNs (arns.glue*Arn), the
 * order Glue checks them in; `partitions` also reads partitions.
 */
export function glueCatalogRead(sid: string, resources: readonly string[], options: { readonly partitions?: boolean } = {}): iam.PolicyStatement {
  return statement(sid, options.partitions ? [...GLUE_CATALOG_ACTIONS.read, ...GLUE_CATALOG_ACTIONS.readPartitions] : GLUE_CATALOG_ACTIONS.read, resources);
}

/** Write events into log groups the stack created (their ARNs end in `:*`, all streams). */
export function logsWrite(sid: string, logGroups: readonly string[]): iam.PolicyStatement {
  return statement(sid, LOGS_ACTIONS.write, logGroups);
}

/** Create, write and encrypt log groups a service names itself (Glue). */
export function logsCreateEncrypted(sid: string, logGroups: readonly string[]): iam.PolicyStatement {
  return statement(sid, LOGS_ACTIONS.createEncrypted, logGroups);
}

/** Set up vended log delivery (Step Functions logging); these actions support no resource-level permissions. */
export function logsDeliver(sid: string): iam.PolicyStatement {
  return statement(sid, LOGS_ACTIONS.deliver, ['*']);
}

/** Send traces; `sampling` also reads sampling rules. X-Ray supports no resource-level permissions. */
export function xrayWrite(sid: string, options: { readonly sampling?: boolean } = {}): iam.PolicyStatement {
  return statement(sid, options.sampling ? [...XRAY_ACTIONS.write, ...XRAY_ACTIONS.sample] : XRAY_ACTIONS.write, ['*']);
}

/** Ask Lake Formation for data; its grants decide what is vended (no resource-level permissions). */
export function lakeFormationDataAccess(sid: string): iam.PolicyStatement {
  return statement(sid, LAKE_FORMATION_ACTIONS.getDataAccess, ['*']);
}

/** Consume an SQS queue encrypted with a KMS key: the queue statement and the Decrypt its messages need. */
export function consumeEncryptedQueue(target: { readonly sid: string; readonly queue: string; readonly keySid: string; readonly key: string }): [iam.PolicyStatement, iam.PolicyStatement] {
  return [statement(target.sid, SQS_ACTIONS.consume, [target.queue]), keyStatement(target.keySid, KMS_ACTIONS.decrypt, [target.key])];
}

/** Publish to an SNS topic encrypted with a KMS key: the Publish statement and its key statement. */
export function publishEncrypted(target: { readonly sid: string; readonly topic: string; readonly keySid: string; readonly key: string }): [iam.PolicyStatement, iam.PolicyStatement] {
  return [statement(target.sid, SNS_ACTIONS.publish, [target.topic]), keyStatement(target.keySid, KMS_ACTIONS.encrypt, [target.key])];
}

/**
 * Read one Secrets Manager secret, and decrypt it when a customer-managed key encrypts it. That key
 * is not known at synth, so the KMS statement names every key (`anyKey`, arns.anyKeyArn) and its
 * conditions allow Decrypt only through Secrets Manager in the stack's region and only for this
 * secret's encryption context.
 */
export function readSecret(target: { readonly sid: string; readonly secret: string; readonly keySid: string; readonly anyKey: string; readonly region: string }): [iam.PolicyStatement, iam.PolicyStatement] {
  return [
    statement(target.sid, SECRETS_MANAGER_ACTIONS.read, [target.secret]),
    statement(target.keySid, KMS_ACTIONS.decrypt, [target.anyKey], {
      StringEquals: { 'kms:ViaService': `secretsmanager.${target.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': target.secret },
    }),
  ];
}

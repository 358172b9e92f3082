/**
 * IAM action lists by name, in the spirit of aws-cdk-lib's aws-s3 perms.ts: a statement says which
 * named list it grants, so a reader compares names instead of re-reading action arrays, and one
 * list changes in one place. The order inside each list is the order the policies state it.
 */

/** S3 actions on objects. */
export const S3_OBJECT_ACTIONS = {
  /** Read an object, also an older version of it (a retried event names the version it saw). */
  readVersions: ['s3:GetObject', 's3:GetObjectVersion'],
  read: ['s3:GetObject'],
  /** Write and delete; no read. */
  writeDelete: ['s3:PutObject', 's3:DeleteObject'],
  readWrite: ['s3:GetObject', 's3:PutObject'],
  readWriteDelete: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
  /** Spark's writers: read, overwrite, delete and abort what a stopped run left. */
  readWriteDeleteUpload: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
  /** Read and write in multipart uploads, never delete: query results. */
  readWriteUpload: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
} as const;

/** S3 actions on a bucket. */
export const S3_BUCKET_ACTIONS = {
  list: ['s3:ListBucket'],
  /** List, and find the bucket's region first as SDKs and Athena do. */
  locateList: ['s3:GetBucketLocation', 's3:ListBucket'],
} as const;

/** KMS actions a principal needs on the key of the objects or messages it uses. */
export const KMS_ACTIONS = {
  decrypt: ['kms:Decrypt'],
  /** Encrypt new data (a data key per object or message) and read it back. */
  encrypt: ['kms:GenerateDataKey', 'kms:Decrypt'],
  /** What Spark's S3 client and Glue bookmarks call: direct Encrypt as well as data keys. */
  readWrite: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
  /** Lake Formation vends data keys without plaintext as well. */
  readWriteWithoutPlaintext: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
} as const;

/** Glue Data Catalog metadata. */
export const GLUE_CATALOG_ACTIONS = {
  read: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables'],
  readPartitions: ['glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
} as const;

/** CloudWatch Logs. */
export const LOGS_ACTIONS = {
  /** Into a log group the stack created (Lambda). */
  write: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  /** Glue creates its log groups itself and encrypts them with the security configuration's key. */
  createEncrypted: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
  /** Vended log delivery (Step Functions): the service sets up the delivery with the caller's rights. */
  deliver: [
    'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
    'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
  ],
} as const;

export const XRAY_ACTIONS = {
  write: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  /** Step Functions also asks for sampling rules. */
  sample: ['xray:GetSamplingRules', 'xray:GetSamplingTargets'],
} as const;

export const LAKE_FORMATION_ACTIONS = {
  getDataAccess: ['lakeformation:GetDataAccess'],
} as const;

/** What a Lambda event source mapping calls on the queue it polls. */
export const SQS_ACTIONS = {
  consume: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
} as const;

export const SNS_ACTIONS = {
  publish: ['sns:Publish'],
} as const;

export const SECRETS_MANAGER_ACTIONS = {
  read: ['secretsmanager:GetSecretValue'],
} as const;

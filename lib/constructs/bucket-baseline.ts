/**
 * What every bucket of the lake gets whatever it holds: versions kept, no public access, no ACLs,
 * TLS 1.2 or later only. Encryption differs by bucket (layer key, pipeline key, or SSE-S3 for
 * access logs), so each bucket sets it next to this.
 */
import * as s3 from 'aws-cdk-lib/aws-s3';

export const BUCKET_BASELINE = {
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
} as const satisfies s3.BucketProps;

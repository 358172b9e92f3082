/**
 * Snapshot serializer that replaces asset hashes (64 hex characters, in S3 keys, asset parameters
 * and image tags) with a placeholder, so a snapshot changes when the template changes and not when
 * a Lambda's source or a dependency's build output does.
 */
const CONTAINS_ASSET_HASH = /[0-9a-f]{64}/;
const ASSET_HASHES = /[0-9a-f]{64}/g;

module.exports = {
  test: (value: unknown) => typeof value === 'string' && CONTAINS_ASSET_HASH.test(value),
  serialize: (value: string) => JSON.stringify(value.replace(ASSET_HASHES, '<asset-hash>')),
};

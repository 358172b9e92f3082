import { LAMBDA_MB_PER_VCPU, MEASURED_MB_PER_VCPU_SECOND, TIMEOUT_SHARE, formatSize, objectSizeLimitOf, oversizeReason } from '../../contract/object-size-limit';

test('the limit grows with the timeout and with memory up to one full vCPU, gzip below plain, Parquet below gzip', () => {
  const defaults = objectSizeLimitOf(1024, 300);
  expect(defaults.plainMb).toBe(Math.floor(MEASURED_MB_PER_VCPU_SECOND.plainMb * (1024 / LAMBDA_MB_PER_VCPU) * 300 * TIMEOUT_SHARE));
  expect(defaults.gzipMb).toBeLessThan(defaults.plainMb);
  expect(defaults.parquetMb).toBeLessThan(defaults.gzipMb);
  expect(objectSizeLimitOf(1024, 600).plainMb).toBeGreaterThan(defaults.plainMb * 1.99);
  expect(objectSizeLimitOf(2048, 300)).toEqual(objectSizeLimitOf(4096, 300));
});

test('the reason names the size as a person reads it, the limit and where to read what to do', () => {
  expect(formatSize(3.2 * 1024 ** 3)).toBe('3.2 GB');
  expect(formatSize(840 * 1024 ** 2)).toBe('840 MB');
  const limit = { plainMb: 2000, gzipMb: 500, parquetMb: 100 };
  expect(oversizeReason(2000 * 1024 ** 2, 'plain', limit)).toBeUndefined();
  expect(oversizeReason(3.2 * 1024 ** 3, 'plain', limit)).toBe('object is 3.2 GB; the transform handles up to 2,000 MB in one invocation with its configured memory and timeout '
    + '(transform.memoryMb, transform.timeoutSeconds); split it, or raise them (docs/datasets.md#objects-too-large-for-one-invocation)');
  expect(oversizeReason(600 * 1024 ** 2, 'gzip', limit)).toMatch(/^object is 600 MB of gzip; the transform handles up to 500 MB of gzip/);
  expect(oversizeReason(100 * 1024 ** 2, 'parquet', limit)).toBeUndefined();
  expect(oversizeReason(150 * 1024 ** 2, 'parquet', limit)).toMatch(/^object is 150 MB of Parquet; the transform handles up to 100 MB of Parquet/);
});

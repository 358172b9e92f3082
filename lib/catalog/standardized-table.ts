/**
 * The Glue table of a dataset in the standardized layer, declared from its config: Parquet, the
 * configured columns with their Hive types, partition keys, and partition projection where the
 * partitioning allows it, so new partitions are queryable the moment the transform writes them.
 */
import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import { hiveTypeOf, parseColumnType } from '../../contract/column-types';
import type { ColumnConfig, DatasetConfig } from '../config/lob-schema';

/** The key layout the transform writes: `<dataset>/<col>=<value>/…`; this template must agree. */
export function partitionLocationTemplate(bucketName: string, dataset: DatasetConfig): string {
  const partitions = dataset.partitionColumns.map((column) => `${column}=\${${column}}`).join('/');
  return `s3://${bucketName}/${dataset.name}/${partitions}${partitions ? '/' : ''}`;
}

/** Dates before this are not projected unless the column's range.min says otherwise. */
export const DEFAULT_PROJECTION_START = '2000-01-01';

/**
 * Athena partition projection settings for one partition column, or undefined when its values
 * cannot be enumerated (a string column without allowedValues, an integer without a range).
 */
export function projectionOf(column: ColumnConfig): Record<string, string> | undefined {
  const type = parseColumnType(column.type);
  const key = `projection.${column.name}`;
  switch (type?.kind) {
    case 'date':
      return {
        [`${key}.type`]: 'date',
        [`${key}.format`]: 'yyyy-MM-dd',
        [`${key}.range`]: `${typeof column.range?.min === 'string' ? column.range.min : DEFAULT_PROJECTION_START},NOW`,
        [`${key}.interval`]: '1',
        [`${key}.interval.unit`]: 'DAYS',
      };
    case 'string':
      return column.allowedValues ? { [`${key}.type`]: 'enum', [`${key}.values`]: column.allowedValues.join(',') } : undefined;
    case 'boolean':
      return { [`${key}.type`]: 'enum', [`${key}.values`]: 'true,false' };
    case 'int':
    case 'bigint':
      return typeof column.range?.min === 'number' && typeof column.range?.max === 'number'
        ? { [`${key}.type`]: 'integer', [`${key}.range`]: `${column.range.min},${column.range.max}` }
        : undefined;
    default:
      return undefined;
  }
}

/** Projection parameters for the whole table: all partition columns projectable, or none. */
export function partitionProjectionParameters(dataset: DatasetConfig, bucketName: string): Record<string, string> {
  if (dataset.partitionColumns.length === 0) return {};
  const projections = dataset.partitionColumns.map((name) => projectionOf(dataset.schema.find((column) => column.name === name)!));
  if (projections.some((projection) => projection === undefined)) return {};
  return {
    'projection.enabled': 'true',
    ...Object.assign({}, ...projections),
    'storage.location.template': partitionLocationTemplate(bucketName, dataset),
  };
}

const toGlueColumn = (column: ColumnConfig): CfnTable.ColumnProperty => ({
  name: column.name,
  type: hiveTypeOf(parseColumnType(column.type)!),
  comment: column.description,
});

export function standardizedTableInput(dataset: DatasetConfig, bucketName: string): CfnTable.TableInputProperty {
  const partitionColumns = new Set(dataset.partitionColumns);
  return {
    name: dataset.name,
    description: dataset.description,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      'classification': 'parquet',
      'parquet.compression': 'SNAPPY',
      'EXTERNAL': 'TRUE',
      ...partitionProjectionParameters(dataset, bucketName),
    },
    partitionKeys: dataset.partitionColumns.map((name) => toGlueColumn(dataset.schema.find((column) => column.name === name)!)),
    storageDescriptor: {
      location: `s3://${bucketName}/${dataset.name}/`,
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
      columns: dataset.schema.filter((column) => !partitionColumns.has(column.name)).map(toGlueColumn),
      compressed: true,
      storedAsSubDirectories: false,
    },
  };
}

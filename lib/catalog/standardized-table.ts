/**
 * The Glue table of a dataset in the standardized layer, declared from its config: Parquet, the
 * configured columns with their Hive types, partition keys, and partition projection where the
 * partitioning allows it, so new partitions are queryable the moment the transform writes them.
 */
import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import { hiveTypeOf, parseColumnType } from '../../contract/column-types';
import { GRANULARITY_LAYOUT, type PartitionKey, partitionKeysOf, pathOnlyColumns } from '../../contract/partitioning';
import type { ColumnConfig, DatasetConfig } from '../config/lob-schema';

/** The key layout the transform writes: `<dataset>/<col>=<value>/…`; this template must agree. */
export function partitionLocationTemplate(bucketName: string, dataset: DatasetConfig): string {
  const partitions = partitionKeysOf(dataset.partitionColumns).map(({ name }) => `${name}=\${${name}}`).join('/');
  return `s3://${bucketName}/${dataset.name}/${partitions}${partitions ? '/' : ''}`;
}

/** Dates before this are not projected unless the column's range.min says otherwise. */
export const DEFAULT_PROJECTION_START = '2000-01-01';

/**
 * Athena partition projection settings for one partition key, or undefined when its values
 * cannot be enumerated (a string column without allowedValues, an integer without a range).
 * A coarser grain of a date is projected as a date in that grain's format and interval unit
 * (`yyyy-MM`, MONTHS); its key is declared a string (partitionKeyColumn), which is what Athena
 * compares a projected date of another format than yyyy-MM-dd with.
 */
export function projectionOf(column: ColumnConfig, partition: PartitionKey = { name: column.name, column: column.name }): Record<string, string> | undefined {
  const type = parseColumnType(column.type);
  const key = `projection.${partition.name}`;
  if (partition.granularity !== undefined) {
    const { isoLength, projectionFormat, intervalUnit } = GRANULARITY_LAYOUT[partition.granularity];
    const start = typeof column.range?.min === 'string' ? column.range.min : DEFAULT_PROJECTION_START;
    return {
      [`${key}.type`]: 'date',
      [`${key}.format`]: projectionFormat,
      [`${key}.range`]: `${start.slice(0, isoLength)},NOW`,
      [`${key}.interval`]: '1',
      [`${key}.interval.unit`]: intervalUnit,
    };
  }
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
  const projections = partitionKeysOf(dataset.partitionColumns).map((key) => projectionOf(columnOf(dataset, key.column), key));
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

const columnOf = (dataset: DatasetConfig, name: string): ColumnConfig => dataset.schema.find((column) => column.name === name)!;

/** A partition key as a Glue column: a column's own, or a string holding a coarser grain of a date. */
function partitionKeyColumn(dataset: DatasetConfig, key: PartitionKey): CfnTable.ColumnProperty {
  const column = columnOf(dataset, key.column);
  if (key.granularity === undefined) return toGlueColumn(column);
  return { name: key.name, type: 'string', comment: `The ${key.granularity} of ${key.column} (${GRANULARITY_LAYOUT[key.granularity].projectionFormat}, UTC)` };
}

export function standardizedTableInput(dataset: DatasetConfig, bucketName: string): CfnTable.TableInputProperty {
  const pathOnly = new Set(pathOnlyColumns(dataset.partitionColumns));
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
    partitionKeys: partitionKeysOf(dataset.partitionColumns).map((key) => partitionKeyColumn(dataset, key)),
    storageDescriptor: {
      location: `s3://${bucketName}/${dataset.name}/`,
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
      columns: dataset.schema.filter((column) => !pathOnly.has(column.name)).map(toGlueColumn),
      compressed: true,
      storedAsSubDirectories: false,
    },
  };
}

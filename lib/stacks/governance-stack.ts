/**
 * Lake Formation governance of one line of business in one environment, applied in a fixed order
 * (see DeployOrder): location registrations -> LF-tag attachments -> data cells filters -> grants.
 * The account-level settings and LF-tag definitions come before, from PlatformStack; the databases
 * and tables from CatalogStack.
 *
 * - Each data layer's bucket is registered through a dedicated data-access role (the service-linked
 *   role cannot use customer-managed KMS keys).
 * - Databases carry environment, lob, layer and a default classification; declared columns carry
 *   their own classification.
 * - Each persona gets a role and LF-tag expression grants, never per-table grants, so a new dataset
 *   is covered by its tags alone. Row filters become data cells filters.
 * - Only roles that write get DATA_LOCATION_ACCESS.
 */
import { createHash } from 'node:crypto';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../compliance/security-baseline';
import { type Classification, type LobConfig, type PersonaConfig } from '../config/lob-schema';
import { DATA_LAYERS, type DataLayer, type NameScope, dataBucketName, glueDatabaseName, lobRoleName } from '../config/names';
import {
  bucketArn, glueCatalogArn, glueCatalogRead, glueDatabaseArn, glueTableArn, lakeFormationDataAccess, listBucket, objectArns, readWriteObjects, roleArn,
} from '../permissions';
import { DeployOrder } from '../governance/deploy-order';
import { LF_TAG, ROW_ACCESS, defaultClassification } from '../governance/lf-tags';
import type { StorageStack } from './storage-stack';

export interface GovernanceStackProps extends StackProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly storage: StorageStack;
}

/** Lake Formation permissions, spelled out (never ALL). */
const READ_TABLE = ['SELECT', 'DESCRIBE'];
const WRITE_TABLE = ['SELECT', 'DESCRIBE', 'INSERT', 'DELETE', 'ALTER'];
const READ_DATABASE = ['DESCRIBE'];
const WRITE_DATABASE = ['DESCRIBE', 'CREATE_TABLE', 'ALTER'];

export class GovernanceStack extends Stack {
  public readonly dataAccessRole: iam.Role;
  public readonly personaRoles: ReadonlyMap<string, iam.Role>;
  /** Every Lake Formation resource, in the order CloudFormation creates them. */
  public readonly deployOrder = new DeployOrder();

  private readonly names: NameScope;
  private readonly lob: LobConfig;

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, props);
    this.names = props.names;
    this.lob = props.lob;

    this.dataAccessRole = this.createDataAccessRole(props.storage);
    for (const layer of DATA_LAYERS) {
      this.deployOrder.then(new lakeformation.CfnResource(this, `${layer}-location`, {
        resourceArn: this.bucketArn(layer),
        roleArn: this.dataAccessRole.roleArn,
        useServiceLinkedRole: false,
        hybridAccessEnabled: false,
      }));
    }

    this.attachTags();

    const personaRoles = new Map<string, iam.Role>();
    for (const persona of this.lob.personas) {
      const role = this.createPersonaRole(persona);
      personaRoles.set(persona.name, role);
      this.grantPersona(persona, role);
    }
    this.personaRoles = personaRoles;
    this.grantCrawlers();
    this.grantCurationJobs();
  }

  private get catalogId(): string {
    return this.account;
  }

  private bucketArn(layer: DataLayer): string {
    return bucketArn(this, dataBucketName(this.names, this.lob.name, layer));
  }

  private database(layer: DataLayer): string {
    return glueDatabaseName(this.names, this.lob.name, layer);
  }

  /** Datasets some persona may only see through a row filter. */
  private get rowFilteredDatasets(): Set<string> {
    return new Set(this.lob.personas.flatMap((persona) => persona.rowFilters.map((filter) => filter.dataset)));
  }

  private tagPair(key: string, ...values: string[]): lakeformation.CfnTagAssociation.LFTagPairProperty {
    return { catalogId: this.catalogId, tagKey: key, tagValues: values };
  }

  /**
   * One association per database and tag key, and per column: a change re-tags only what it
   * changes. (A tag association's every property is create-only: CloudFormation replaces a
   * changed one by creating the new association, then deleting the old, which removes its tags.
   * Were a database's five tags one resource, changing its classification would strip the four
   * others; were a table's pii columns one resource, adding a pii column would untag the rest.)
   */
  private attachTags(): void {
    for (const layer of DATA_LAYERS) {
      const tags: Record<string, string> = {
        [LF_TAG.environment]: this.names.environment,
        [LF_TAG.lob]: this.lob.name,
        [LF_TAG.layer]: layer,
        [LF_TAG.classification]: defaultClassification(layer, this.lob),
        [LF_TAG.rowAccess]: ROW_ACCESS.unrestricted,
      };
      for (const [key, value] of Object.entries(tags)) {
        this.deployOrder.then(new lakeformation.CfnTagAssociation(this, `${layer}-database-${key}-tag`, {
          resource: { database: { catalogId: this.catalogId, name: this.database(layer) } },
          lfTags: [this.tagPair(key, value)],
        }));
      }
    }
    const filtered = this.rowFilteredDatasets;
    for (const dataset of this.lob.datasets) {
      const table = { catalogId: this.catalogId, databaseName: this.database('standardized'), name: dataset.name };
      if (filtered.has(dataset.name)) {
        this.deployOrder.then(new lakeformation.CfnTagAssociation(this, `${dataset.name}-row-access-tag`, {
          resource: { table },
          lfTags: [this.tagPair(LF_TAG.rowAccess, ROW_ACCESS.filtered)],
        }));
      }
      for (const column of dataset.schema) {
        this.deployOrder.then(new lakeformation.CfnTagAssociation(this, `${dataset.name}-${column.name}-classification-tag`, {
          resource: { tableWithColumns: { ...table, columnNames: [column.name] } },
          lfTags: [this.tagPair(LF_TAG.classification, column.classification)],
        }));
      }
    }
  }

  /** Lake Formation assumes this role to read and write registered locations on callers' behalf. */
  private createDataAccessRole(storage: StorageStack): iam.Role {
    const layerObjects = DATA_LAYERS.flatMap((layer) => objectArns(this.bucketArn(layer), ['']));
    const policy = new iam.ManagedPolicy(this, 'DataAccessPolicy', {
      description: `Lake Formation access to the ${this.lob.name} data layers (${this.names.environment})`,
      statements: [
        listBucket('ListLayers', DATA_LAYERS.map((layer) => this.bucketArn(layer))),
        ...readWriteObjects({
          sid: 'ReadWriteLayerObjects', objects: layerObjects,
          keySid: 'UseLayerKeys', keys: DATA_LAYERS.map((layer) => storage.layers[layer].encryptionKey.keyArn), withoutPlaintext: true,
        }),
      ],
    });
    acknowledgeWildcardResources(policy, layerObjects, 'Every object of a registered layer: Lake Formation vends access to whichever tables a grant allows.');
    return new iam.Role(this, 'DataAccessRole', {
      roleName: lobRoleName(this.names, this.lob.name, 'lf-data-access'),
      description: `Registers the ${this.lob.name} data layers with Lake Formation (${this.names.environment})`,
      assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      managedPolicies: [policy],
    });
  }

  /** IAM only lets a persona ask Lake Formation and read catalog metadata; Lake Formation decides what it sees. */
  private createPersonaRole(persona: PersonaConfig): iam.Role {
    const databases = persona.layers.map((layer) => this.database(layer));
    const tableArns = databases.map((database) => glueTableArn(this, database, '*'));
    const policy = new iam.ManagedPolicy(this, `${persona.name}-policy`, {
      description: `Persona ${persona.name} of ${this.lob.name} (${this.names.environment})`,
      statements: [
        lakeFormationDataAccess('AskLakeFormationForData'),
        glueCatalogRead('ReadCatalog', [glueCatalogArn(this), ...databases.map((database) => glueDatabaseArn(this, database)), ...tableArns], { partitions: true }),
      ],
    });
    acknowledgeWildcardResources(policy, ['*'], 'lakeformation:GetDataAccess supports no resource-level permissions; Lake Formation grants decide what data is vended.');
    acknowledgeWildcardResources(policy, tableArns, 'Metadata of every table in the persona\'s databases; which data it may read is decided by LF-tag grants.');
    const principals: iam.IPrincipal[] = persona.trustedPrincipals.length > 0
      ? persona.trustedPrincipals.map((principal) => new iam.ArnPrincipal(principal))
      : [new iam.AccountRootPrincipal()];
    // QuickSight runs the dashboard's Athena queries as the dashboard persona.
    if (this.lob.dashboard.enabled && this.lob.dashboard.persona === persona.name) {
      principals.push(new iam.ServicePrincipal('quicksight.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }));
    }
    const trusted = new iam.CompositePrincipal(...principals);
    return new iam.Role(this, `${persona.name}-role`, {
      roleName: lobRoleName(this.names, this.lob.name, persona.name),
      description: persona.description ?? `Persona ${persona.name} of ${this.lob.name}`,
      assumedBy: trusted,
      managedPolicies: [policy],
    });
  }

  /**
   * One grant per permission: a change adds or revokes only the permissions it changes. (A grant's
   * properties are create-only, and deleting a replaced grant revokes every permission it listed,
   * including those its replacement grants again.)
   */
  private grant(id: string, principalArn: string, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty, permissions: string[]): void {
    for (const permission of permissions) {
      this.deployOrder.then(new lakeformation.CfnPrincipalPermissions(this, `${id}-${permission.toLowerCase().replace(/_/g, '-')}`, {
        catalog: this.catalogId,
        principal: { dataLakePrincipalIdentifier: principalArn },
        resource,
        permissions: [permission],
        permissionsWithGrantOption: [],
      }));
    }
  }

  private tagPolicy(resourceType: 'DATABASE' | 'TABLE', layers: readonly DataLayer[], extra: Record<string, string[]> = {}): lakeformation.CfnPrincipalPermissions.ResourceProperty {
    const expression = Object.entries({
      [LF_TAG.environment]: [this.names.environment],
      [LF_TAG.lob]: [this.lob.name],
      [LF_TAG.layer]: [...layers],
      ...extra,
    }).map(([tagKey, tagValues]) => ({ tagKey, tagValues }));
    return { lfTagPolicy: { catalogId: this.catalogId, resourceType, expression } };
  }

  private grantPersona(persona: PersonaConfig, role: iam.Role): void {
    const layers = persona.layers;
    const classifications: Classification[] = [...persona.classifications];
    // A persona with row filters reaches those tables only through its data cells filters.
    const tableTags: Record<string, string[]> = persona.rowFilters.length > 0
      ? { [LF_TAG.classification]: classifications, [LF_TAG.rowAccess]: [ROW_ACCESS.unrestricted] }
      : { [LF_TAG.classification]: classifications };
    this.grant(`${persona.name}-databases`, role.roleArn, this.tagPolicy('DATABASE', layers), persona.write ? WRITE_DATABASE : READ_DATABASE);
    this.grant(`${persona.name}-tables`, role.roleArn, this.tagPolicy('TABLE', layers, tableTags), persona.write ? WRITE_TABLE : READ_TABLE);
    if (persona.write) {
      for (const layer of layers) {
        this.grant(`${persona.name}-${layer}-location`, role.roleArn, { dataLocation: { catalogId: this.catalogId, resourceArn: this.bucketArn(layer) } }, ['DATA_LOCATION_ACCESS']);
      }
    }
    for (const filter of persona.rowFilters) {
      const dataset = this.lob.datasets.find((candidate) => candidate.name === filter.dataset)!;
      const hidden = dataset.schema.filter((column) => !classifications.includes(column.classification)).map((column) => column.name);
      // A filter's properties are create-only and its name is unique: the name carries a digest of
      // what it filters, so a changed filter is a new one, created before the old one goes.
      const digest = createHash('sha256').update(JSON.stringify([filter.expression, [...hidden].sort()])).digest('hex').slice(0, 8);
      const name = `${persona.name}-${dataset.name}-${digest}`;
      this.deployOrder.then(new lakeformation.CfnDataCellsFilter(this, `${persona.name}-${dataset.name}-filter`, {
        name,
        tableCatalogId: this.catalogId,
        databaseName: this.database('standardized'),
        tableName: dataset.name,
        rowFilter: { filterExpression: filter.expression },
        columnWildcard: { excludedColumnNames: hidden },
      }));
      this.grant(`${persona.name}-${dataset.name}-filter`, role.roleArn, {
        dataCellsFilter: { tableCatalogId: this.catalogId, databaseName: this.database('standardized'), tableName: dataset.name, name },
      }, ['SELECT', 'DESCRIBE']);
    }
  }

  /**
   * The curation jobs read standardized and keep the conformed and enriched Iceberg tables: they
   * create and evolve them in place and never drop one, so DROP is not granted.
   */
  private grantCurationJobs(): void {
    const role = roleArn(this, lobRoleName(this.names, this.lob.name, 'curation'));
    this.grant('curation-source-databases', role, this.tagPolicy('DATABASE', ['standardized']), READ_DATABASE);
    this.grant('curation-source-tables', role, this.tagPolicy('TABLE', ['standardized']), READ_TABLE);
    this.grant('curation-target-databases', role, this.tagPolicy('DATABASE', ['conformed', 'enriched']), WRITE_DATABASE);
    this.grant('curation-target-tables', role, this.tagPolicy('TABLE', ['conformed', 'enriched']), WRITE_TABLE);
    for (const layer of ['conformed', 'enriched'] as const) {
      this.grant(`curation-${layer}-location`, role, { dataLocation: { catalogId: this.catalogId, resourceArn: this.bucketArn(layer) } }, ['DATA_LOCATION_ACCESS']);
    }
  }

  /** The crawlers maintain the raw tables and read the raw location. */
  private grantCrawlers(): void {
    const crawlerRoleArn = roleArn(this, lobRoleName(this.names, this.lob.name, 'crawler'));
    this.grant('crawler-raw-database', crawlerRoleArn, this.tagPolicy('DATABASE', ['raw']), WRITE_DATABASE);
    this.grant('crawler-raw-tables', crawlerRoleArn, this.tagPolicy('TABLE', ['raw']), WRITE_TABLE);
    this.grant('crawler-raw-location', crawlerRoleArn, { dataLocation: { catalogId: this.catalogId, resourceArn: this.bucketArn('raw') } }, ['DATA_LOCATION_ACCESS']);
  }
}

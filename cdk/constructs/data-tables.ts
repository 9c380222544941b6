import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
  type Attribute,
  type GlobalSecondaryIndexPropsV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  tables,
  type IndexDefinition,
  type KeyAttribute,
  type TableDefinition,
  type TableKey,
} from '../../lib/infra/resources.js';

/** Settings of the tables that vary per deployment. */
export interface DataTablesProps {
  /** DynamoDB deletion protection on every table (context `deletionProtection`). */
  readonly deletionProtection: boolean;
}

/**
 * Every table of lib/infra/resources.ts as a DynamoDB table (TableV2): keys, indexes with their projections and
 * TTL exactly as defined there; on-demand, point-in-time recovery, AWS-managed KMS encryption, retained when the
 * stack goes away (the data outlives any deployment).
 */
export class DataTables extends Construct {
  readonly byKey: Record<TableKey, TableV2>;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    const entries = (Object.entries(tables) as [TableKey, TableDefinition][]).map(
      ([key, definition]) => [key, this.createTable(definition, props)] as const,
    );
    this.byKey = Object.fromEntries(entries) as Record<TableKey, TableV2>;
  }

  private createTable(definition: TableDefinition, props: DataTablesProps): TableV2 {
    return new TableV2(this, definition.name, {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      globalSecondaryIndexes: definition.indexes.map(globalSecondaryIndex),
      ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

function attribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING };
}

function globalSecondaryIndex(index: IndexDefinition): GlobalSecondaryIndexPropsV2 {
  const keys = { indexName: index.indexName, partitionKey: attribute(index.partitionKey), sortKey: attribute(index.sortKey) };
  switch (index.projection.type) {
    case 'ALL':
      return { ...keys, projectionType: ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { ...keys, projectionType: ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return { ...keys, projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.nonKeyAttributes] };
  }
}

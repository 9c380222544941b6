import { Stack } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { DeadLetterAccess, TableAccess } from '../../lib/infra/functions.js';
import { queues, tables, type QueueKey, type TableKey } from '../../lib/infra/resources.js';
import type { TierFunction } from './tier-function.js';

/** Item reads the functions make (single-item, batch, index queries, parallel scans). */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'] as const;
/** Item writes the functions make (conditional single-item writes and batch writes). */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;
/** What inspecting a dead-letter queue takes: its attributes (ARN, depth) and its message move tasks. */
export const DEAD_LETTER_INSPECT_ACTIONS = ['sqs:GetQueueAttributes', 'sqs:ListMessageMoveTasks'] as const;
/** What starting a redrive takes on the dead-letter queue (SendMessage on the source comes with `sendsTo`). */
export const DEAD_LETTER_REDRIVE_ACTIONS = [...DEAD_LETTER_INSPECT_ACTIONS, 'sqs:StartMessageMoveTask', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'] as const;
/** SES v1 sending actions; nothing else of SES (no identity management, no statistics). */
export const EMAIL_SEND_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'] as const;

/** The resources a function's declaration can name. */
export interface DeclaredResources {
  readonly tables: Record<TableKey, TableV2>;
  readonly queues: Record<QueueKey, IQueue>;
  readonly deadLetterQueues: Record<QueueKey, IQueue>;
  readonly secret: ISecret;
  /** The From address of tier emails; SES permission is scoped to it. */
  readonly senderAddress: string;
  /** The SES configuration set emails are sent through (it publishes their Send events). */
  readonly configurationSetName: string;
}

/**
 * Gives a function exactly the access its entry in lib/infra/functions.ts declares, and the env var through
 * which it finds each resource: per table read (table and each of its index ARNs), write (table ARN only) or
 * both; send-only on each queue it publishes to; read of the secret when `secrets`; SES sending from the
 * sender address only when `sendsEmail`; on each dead-letter queue it inspects or redrives, exactly that
 * (a redrive also needs the source queue in `sendsTo`). Consuming a queue is granted by the event source, not here.
 */
export function grantDeclaredAccess(target: TierFunction, resources: DeclaredResources): void {
  const { definition, role } = target;

  for (const [key, access] of Object.entries(definition.tables) as [TableKey, TableAccess][]) {
    const table = resources.tables[key];
    for (const statement of tableStatements(key, table, access)) role.addToPrincipalPolicy(statement);
    target.addEnvironment(tables[key].envVar, table.tableName);
  }

  for (const key of definition.sendsTo) {
    const queue = resources.queues[key];
    queue.grantSendMessages(role);
    target.addEnvironment(queues[key].envVar, queue.queueUrl);
  }

  for (const [key, access] of Object.entries(definition.deadLetters ?? {}) as [QueueKey, DeadLetterAccess][]) {
    if (access === 'redrive' && !definition.sendsTo.includes(key)) {
      throw new Error(`lib/infra/functions.ts: ${definition.name} redrives ${queues[key].name} but does not declare it in sendsTo`);
    }
    const deadLetterQueue = resources.deadLetterQueues[key];
    const actions = access === 'redrive' ? DEAD_LETTER_REDRIVE_ACTIONS : DEAD_LETTER_INSPECT_ACTIONS;
    role.addToPrincipalPolicy(new PolicyStatement({ actions: [...actions], resources: [deadLetterQueue.queueArn] }));
    target.addEnvironment(queues[key].deadLetterEnvVar, deadLetterQueue.queueUrl);
  }

  if (definition.secrets) {
    resources.secret.grantRead(role);
    target.addEnvironment('SECRETS_ARN', resources.secret.secretArn);
  }

  if (definition.sendsEmail) {
    role.addToPrincipalPolicy(emailStatement(Stack.of(target), resources.senderAddress, resources.configurationSetName));
    target.addEnvironment('SENDER_ADDRESS', resources.senderAddress);
    target.addEnvironment('SES_CONFIGURATION_SET', resources.configurationSetName);
  }
}

function tableStatements(key: TableKey, table: TableV2, access: TableAccess): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (access === 'read' || access === 'readWrite') {
    const indexArns = tables[key].indexes.map((index) => `${table.tableArn}/index/${index.indexName}`);
    statements.push(new PolicyStatement({ actions: [...TABLE_READ_ACTIONS], resources: [table.tableArn, ...indexArns] }));
  }
  if (access === 'write' || access === 'readWrite') {
    statements.push(new PolicyStatement({ actions: [...TABLE_WRITE_ACTIONS], resources: [table.tableArn] }));
  }
  return statements;
}

/**
 * SES authorizes a send against the identity that covers the From address: the address itself when it is
 * verified as an email identity, or its domain when the domain is verified; and against the configuration
 * set the send names. Those three ARNs are allowed and the `ses:FromAddress` condition pins the From
 * address, so the role cannot send as anyone else in the domain.
 */
function emailStatement(stack: Stack, senderAddress: string, configurationSetName: string): PolicyStatement {
  const domain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);
  const identityArn = (identity: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
  const configurationSetArn = stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName });
  return new PolicyStatement({
    actions: [...EMAIL_SEND_ACTIONS],
    resources: [identityArn(senderAddress), identityArn(domain), configurationSetArn],
    conditions: { StringEquals: { 'ses:FromAddress': senderAddress } },
  });
}

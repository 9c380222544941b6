import { Duration, TimeZone, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NIGHTLY_SCHEDULE_EXPRESSION } from '../../lib/infra/schedule.js';
import { DEAD_LETTER_RETENTION } from './work-queues.js';

/** How long Scheduler keeps retrying a nightly invocation it could not deliver: the run is still useful then. */
export const SCHEDULE_RETRY = { retryAttempts: 5, maxEventAge: Duration.hours(2) } as const;

/** The function the schedule starts and the time zone its cron is read in. */
export interface NightlyScheduleProps {
  /** The function that starts the run (`recalc-scheduled`). */
  readonly target: IFunction;
  /** IANA time zone of the program config. */
  readonly timeZone: string;
}

/**
 * Lambda target whose role may invoke exactly the function's ARN. (The library's `LambdaInvoke` also allows
 * `<arn>:*`, every version and alias, which the schedule never uses.)
 */
class InvokeExactFunction extends ScheduleTargetBase {
  constructor(
    private readonly fn: IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(props, fn.functionArn);
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
  }
}

/**
 * The nightly recalculation trigger: an EventBridge Scheduler schedule with the expression the local stack also
 * runs (lib/infra/schedule.ts, 01:00) in the program's time zone, invoking `recalc-scheduled`, with retries. A night that cannot start leaves a message in one dead-letter
 * queue, whether Scheduler could not deliver the invocation or the function failed all its asynchronous
 * attempts (Scheduler invokes Lambda asynchronously, so the function's failures never reach Scheduler).
 */
export class NightlySchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: NightlyScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: of the Scheduler target and of the asynchronous invocations of ' +
        'recalc-scheduled. cdk-nag only recognises dead-letter queues named in another queue’s RedrivePolicy.',
    });

    props.target.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.deadLetterQueue) });

    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Nightly tier recalculation for yesterday in the program time zone',
      schedule: ScheduleExpression.expression(NIGHTLY_SCHEDULE_EXPRESSION, TimeZone.of(props.timeZone)),
      target: new InvokeExactFunction(props.target, { ...SCHEDULE_RETRY, deadLetterQueue: this.deadLetterQueue }),
    });
  }
}

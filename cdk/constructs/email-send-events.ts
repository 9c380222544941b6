import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * SES's record of each email it took: a configuration set whose Send events go to an SNS topic and, raw,
 * to the `email-send-events` queue, where `record-email-send` writes them on the delivery ledger. The email
 * consumer sends through the set and tags every email with its eventId (SES_CONFIGURATION_SET).
 */
export class EmailSendEvents extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { queue: IQueue }) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet');
    this.topic = new Topic(this, 'SendEvents', { enforceSSL: true });
    this.topic.addSubscription(new SqsSubscription(props.queue, { rawMessageDelivery: true }));
    this.configurationSet.addEventDestination('ToSendEvents', {
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.SEND],
    });
  }
}

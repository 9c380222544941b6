import { Validations } from 'aws-cdk-lib';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The keys of the JSON secret lib/adapters/secrets.ts reads. */
export const SECRET_KEYS = ['webhookSecret', 'apiToken', 'adminToken'] as const;

const ROTATION_REASON =
  'Rotated by the operator, not by a rotation Lambda: the webhook secret must change together with the ERP ' +
  '(signatures accept several v1 values during a rotation) and the tokens together with their holders; the ' +
  'procedure is `aws secretsmanager put-secret-value` (README, Deploy to AWS), functions pick it up within 5 minutes.';

/**
 * The one secret the functions read (`SECRETS_ARN`): `{"webhookSecret","apiToken","adminToken"}`, each a
 * random 48-character value at first deployment, never present in the template. CloudFormation can
 * generate only one key per secret, so each value is generated in a seed secret of its own and the
 * application secret is assembled from them by dynamic reference. An operator's `put-secret-value` on the
 * application secret survives later deployments (the template, and so the resource, does not change).
 */
export class AppSecrets extends Construct {
  readonly secret: ISecret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const values = Object.fromEntries(
      SECRET_KEYS.map((key) => {
        const seed = new Secret(this, `${key}Seed`, {
          description: `Initial random ${key} of the tier engine; the functions read the application secret, not this one`,
          generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
        });
        Validations.of(seed).acknowledge({ id: 'AwsSolutions-SMG4', reason: `Seed of the initial value only, read once by CloudFormation. ${ROTATION_REASON}` });
        return [key, seed.secretValue];
      }),
    );
    const secret = new Secret(this, 'Secret', {
      description: 'Tier engine: ERP webhook HMAC secret, API bearer token, admin bearer token (JSON)',
      secretObjectValue: values,
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: ROTATION_REASON });
    this.secret = secret;
  }
}

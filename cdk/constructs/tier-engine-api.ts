import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../lib/infra/routes.js';

/**
 * Default-stage throttling: well above an ERP's webhook bursts (batches of up to 500 items) and the API's
 * readers, low enough that a runaway client cannot drive the tables and functions into a bill.
 */
export const API_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/** One JSON line per request; HTTP API context variables only. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  userAgent: '$context.identity.userAgent',
} as const;

/** What the API serves: the route table and the function behind each route. */
export interface TierEngineApiProps {
  /** The routes of lib/infra/routes.ts. */
  readonly routes: readonly RouteDefinition[];
  /** The function serving a route, by its name in lib/infra/functions.ts. */
  readonly functionFor: (name: string) => IFunction;
}

/**
 * The public HTTP API (API Gateway v2, payload 2.0): every route of lib/infra/routes.ts integrated with its
 * function, a `$default` stage with throttling and JSON access logs. Authentication happens in the functions
 * (HMAC webhook signatures, bearer tokens from Secrets Manager), as spec §3.1/§3.2 define it.
 */
export class TierEngineApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Base URL of the API, ending without a slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: TierEngineApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Wholesale tier engine: ERP webhooks, group status, admin recalculation',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.url = this.httpApi.apiEndpoint;

    for (const route of props.routes) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.method}-${route.functionName}`, props.functionFor(route.functionName)),
      });
      if (httpRoute) acknowledgeInFunctionAuthorization(httpRoute, route);
    }
  }
}

const NO_GATEWAY_AUTHORIZER_BECAUSE: Record<RouteDefinition['auth'], string> = {
  signature:
    'ERP webhook: authenticated in the function by the HMAC-SHA256 X-Signature over the raw body with a ' +
    '300 s replay window (spec §3.2); API Gateway authorizers cannot verify a signature over the body.',
  api:
    'Authenticated in the function by a bearer token compared in constant time with the token in Secrets ' +
    'Manager (spec §3.1); the ERP and its clients have no IAM or Cognito identities to authorize with.',
  admin:
    'Authenticated in the function by the admin bearer token compared in constant time with the token in Secrets ' +
    'Manager (spec §3.1); the program managers have no IAM or Cognito identities to authorize with.',
  public:
    'The OpenAPI description of the API is public on purpose: it holds no data, only the request and answer shapes ' +
    'that the ERP integrators code against, and its function reads no table and no secret.',
};

function acknowledgeInFunctionAuthorization(httpRoute: HttpRoute, route: RouteDefinition): void {
  Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: NO_GATEWAY_AUTHORIZER_BECAUSE[route.auth] });
}

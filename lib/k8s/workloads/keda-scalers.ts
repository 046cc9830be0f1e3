import { Validators } from '../../core/validators';

/**
 * The trigger types KEDA 2.20 builds a scaler for (its operator fails a ScaledObject naming any other with "no scaler
 * found for type"). Used only to catch a slip: a type outside the list that is near none of it is accepted, since a
 * newer KEDA may add scalers.
 */
const KEDA_SCALER_TYPES: readonly string[] = [
  'activemq', 'apache-kafka', 'arangodb', 'artemis-queue', 'aws-cloudwatch', 'aws-dynamodb', 'aws-dynamodb-streams',
  'aws-kinesis-stream', 'aws-sqs-queue', 'azure-app-insights', 'azure-blob', 'azure-data-explorer', 'azure-eventhub',
  'azure-log-analytics', 'azure-monitor', 'azure-pipelines', 'azure-queue', 'azure-servicebus', 'beanstalkd', 'cassandra',
  'clickhouse', 'couchdb', 'cpu', 'cron', 'datadog', 'dynatrace', 'elastic-forecast', 'elasticsearch', 'etcd', 'external',
  'external-push', 'forgejo-runner', 'gcp-cloudtasks', 'gcp-pubsub', 'gcp-spanner', 'gcp-stackdriver', 'gcp-storage',
  'github-runner', 'graphite', 'huawei-cloudeye', 'ibmmq', 'influxdb', 'kafka', 'kubernetes-resource', 'kubernetes-workload',
  'liiklus', 'loki', 'memory', 'metrics-api', 'mongodb', 'mssql', 'mysql', 'nats-jetstream', 'new-relic', 'nsq', 'opensearch',
  'openstack-metric', 'openstack-swift', 'postgresql', 'predictkube', 'prometheus', 'pulsar', 'rabbitmq', 'redis',
  'redis-cluster', 'redis-cluster-streams', 'redis-sentinel', 'redis-sentinel-streams', 'redis-streams', 'selenium-grid',
  'solace-direct-messaging', 'solace-event-queue', 'solarwinds', 'solr', 'splunk', 'splunk-observability', 'sumologic',
  'temporal',
];

/**
 * The KEDA scaler types `type` is likely a slip for, or an empty list when it is one of them or near none: one or two
 * letters off a type (`rabbit-mq`, `aws-sqs-queues`), or the words of a type without its prefix or suffix (`sqs` for
 * `aws-sqs-queue`, `dynamodb` for `aws-dynamodb` and `aws-dynamodb-streams`).
 */
export function kedaScalerSlip(type: string): string[] {
  if (KEDA_SCALER_TYPES.includes(type)) return [];
  const words = type.split('-').filter(w => w !== '');
  const part = KEDA_SCALER_TYPES.filter(k => {
    const kw = k.split('-');
    return words.length > 0 && kw.some((_, i) => words.every((w, j) => kw[i + j] === w));
  });
  if (part.length > 0) return part;
  const limit = type.length <= 4 ? 1 : 2;
  return KEDA_SCALER_TYPES.filter(k => Validators._editDistance(type, k) <= limit);
}

/** The AWS credentials settings every aws-* scaler reads besides its own (KEDA 2.x, `pkg/scalers/aws`). */
const AWS_AUTH = ['awsAccessKeyID', 'awsAccessKeyIDFromEnv', 'awsSecretAccessKey', 'awsSecretAccessKeyFromEnv', 'awsSessionToken', 'awsRoleArn', 'identityOwner'];

/** The settings of KEDA's shared HTTP authentication (prometheus, metrics-api, rabbitmq). */
const HTTP_AUTH = [
  'authModes', 'authMode', 'username', 'password', 'cert', 'key', 'ca', 'bearerToken', 'token', 'apiKey', 'method', 'keyParamName',
  'customAuthHeader', 'customAuthValue', 'oauthTokenURI', 'scopes', 'scope', 'clientID', 'clientSecret', 'endpointParams',
];

/** The connection settings of KEDA's redis scalers (plain, cluster and sentinel; lists and streams). */
const REDIS_CONNECTION = [
  'address', 'addressFromEnv', 'addresses', 'addressesFromEnv', 'host', 'hostFromEnv', 'hosts', 'hostsFromEnv', 'port', 'portFromEnv',
  'ports', 'portsFromEnv', 'username', 'usernameFromEnv', 'password', 'passwordFromEnv', 'sentinelUsername', 'sentinelUsernameFromEnv',
  'sentinelPassword', 'sentinelPasswordFromEnv', 'sentinelMaster', 'sentinelMasterFromEnv', 'databaseIndex', 'enableTLS', 'tls',
  'unsafeSsl', 'cert', 'key', 'keyPassword', 'ca',
];
const REDIS_LIST = [...REDIS_CONNECTION, 'listName', 'listLength', 'activationListLength'];
const REDIS_STREAMS = [...REDIS_CONNECTION, 'stream', 'consumerGroup', 'pendingEntriesCount', 'streamLength', 'lagCount', 'activationLagCount'];

/** The settings of KEDA's two Kafka scalers that both read. */
const KAFKA_COMMON = [
  'bootstrapServers', 'bootstrapServersFromEnv', 'consumerGroup', 'consumerGroupFromEnv', 'topic', 'topicFromEnv', 'partitionLimitation',
  'lagThreshold', 'activationLagThreshold', 'offsetResetPolicy', 'allowIdleConsumers', 'excludePersistentLag', 'scaleToZeroOnInvalidOffset',
  'limitToPartitionsWithLag', 'ensureEvenDistributionOfPartitions', 'sasl', 'username', 'password', 'awsRegion', 'tls', 'cert', 'key',
  'keyPassword', 'ca',
];

/**
 * The settings KEDA's most used scalers read (KEDA 2.x, from the scalers' typed configuration; `<name>FromEnv` where a
 * setting may name an environment variable of the workload's container instead). A setting a letter or two off one of
 * them (`queueLenght`, `serverAdress`) is a slip the scaler ignores, or fails on when it is one the scaler needs.
 * Scalers not listed are not checked.
 */
const SCALER_SETTINGS: { readonly [type: string]: readonly string[] } = {
  'aws-sqs-queue': ['queueURL', 'queueURLFromEnv', 'queueLength', 'activationQueueLength', 'awsRegion', 'awsEndpoint', 'scaleOnInFlight', 'scaleOnDelayed', ...AWS_AUTH],
  'aws-cloudwatch': [
    'namespace', 'metricName', 'dimensionName', 'dimensionValue', 'expression', 'targetMetricValue', 'activationTargetMetricValue', 'minMetricValue',
    'ignoreNullValues', 'metricCollectionTime', 'metricStat', 'metricUnit', 'metricStatPeriod', 'metricEndTimeOffset', 'awsAccountId', 'awsRegion',
    'awsEndpoint', ...AWS_AUTH,
  ],
  'aws-dynamodb': [
    'tableName', 'awsRegion', 'awsEndpoint', 'keyConditionExpression', 'indexName', 'targetValue', 'activationTargetValue', 'filterExpression',
    'expressionAttributeNames', 'expressionAttributeValues', ...AWS_AUTH,
  ],
  'aws-kinesis-stream': ['streamName', 'shardCount', 'activationShardCount', 'awsRegion', 'awsEndpoint', ...AWS_AUTH],
  'prometheus': [
    'serverAddress', 'query', 'queryParameters', 'threshold', 'activationThreshold', 'namespace', 'customHeaders', 'ignoreNullValues', 'unsafeSsl',
    'awsRegion', 'timeout', 'identityOwner', ...HTTP_AUTH,
  ],
  'metrics-api': [
    'url', 'format', 'valueLocation', 'targetValue', 'activationTargetValue', 'unsafeSsl', 'aggregateFromKubeServiceEndpoints', 'aggregationType',
    'timeout', ...HTTP_AUTH,
  ],
  'rabbitmq': [
    'host', 'hostFromEnv', 'queueName', 'mode', 'value', 'activationValue', 'queueLength', 'protocol', 'vhostName', 'useRegex', 'excludeUnacknowledged',
    'pageSize', 'operation', 'timeout', 'usernameFromEnv', 'passwordFromEnv', 'keyPassword', 'tls', 'unsafeSsl', 'workloadIdentityResource', ...HTTP_AUTH,
  ],
  'kafka': [
    ...KAFKA_COMMON, 'fullMetadata', 'version', 'unsafeSsl', 'saslTokenProvider', 'scopes', 'oauthTokenEndpointUri', 'oauthExtensions', 'keytab', 'realm',
    'kerberosConfig', 'kerberosServiceName', 'kerberosDisableFAST',
  ],
  'apache-kafka': KAFKA_COMMON,
  'cron': ['start', 'end', 'timezone', 'desiredReplicas'],
  'redis': REDIS_LIST,
  'redis-cluster': REDIS_LIST,
  'redis-sentinel': REDIS_LIST,
  'redis-streams': REDIS_STREAMS,
  'redis-cluster-streams': REDIS_STREAMS,
  'redis-sentinel-streams': REDIS_STREAMS,
  'postgresql': [
    'connection', 'connectionFromEnv', 'host', 'port', 'userName', 'dbName', 'sslmode', 'password', 'passwordFromEnv', 'query', 'targetQueryValue',
    'activationTargetQueryValue',
  ],
  'mysql': [
    'connectionString', 'connectionStringFromEnv', 'host', 'port', 'username', 'usernameFromEnv', 'password', 'passwordFromEnv', 'dbName', 'query',
    'queryValue', 'activationQueryValue', 'metricName',
  ],
  'gcp-pubsub': [
    'subscriptionName', 'subscriptionNameFromEnv', 'topicName', 'topicNameFromEnv', 'mode', 'value', 'activationValue', 'subscriptionSize',
    'aggregation', 'timeHorizon', 'valueIfNull', 'credentialsFromEnv', 'credentialsFromEnvFile',
  ],
  'azure-servicebus': [
    'queueName', 'topicName', 'subscriptionName', 'namespace', 'connectionFromEnv', 'connection', 'messageCount', 'activationMessageCount', 'useRegex', 'operation',
  ],
  'azure-queue': ['queueName', 'queueLength', 'activationQueueLength', 'connectionFromEnv', 'connection', 'accountName', 'endpointSuffix', 'queueLengthStrategy'],
  'nats-jetstream': ['natsServerMonitoringEndpoint', 'account', 'accountID', 'stream', 'consumer', 'lagThreshold', 'activationLagThreshold', 'useHttps'],
};

/**
 * The setting of scaler `type` that `key` is a slip of (another case, or one or two letters off; a setting of three
 * letters or fewer only in another case), or undefined: a key of the scaler, one far from all of them (a setting of a
 * newer KEDA) or a scaler whose settings are not listed.
 */
export function kedaSettingSlip(type: string, key: string): string | undefined {
  const known = SCALER_SETTINGS[type];
  if (known === undefined || known.includes(key)) return undefined;
  const lower = key.toLowerCase();
  return known.find(k => k.toLowerCase() === lower)
    ?? known.find(k => k.length > 3 && Validators._editDistance(lower, k.toLowerCase()) <= (k.length <= 8 ? 1 : 2));
}

/** The scaler types whose settings `kedaSettingSlip` knows, for the docs and tests. */
export const KEDA_CHECKED_SCALERS: readonly string[] = Object.keys(SCALER_SETTINGS);

/** True for a scaler that reads an AWS service with credentials of its own (KEDA's operator calls the service). */
export function awsScaler(type: string): boolean {
  return type.startsWith('aws-');
}

/** One setting of a trigger that KEDA's scaler refuses: the setting, and what is wrong and what to write. */
export interface KedaSettingProblem {
  readonly setting: string;
  readonly value: string | undefined;
  readonly problem: string;
  readonly fix: string;
}

/**
 * What KEDA's scaler of `type` refuses in `metadata` (its operator then fails the ScaledObject, and the worker stays at
 * its minimum): the aws-sqs-queue scaler needs a queue (queueURL or queueURLFromEnv) and awsRegion, and reads its
 * lengths as whole numbers and its switches as true or false. Other scalers are not checked.
 */
export function kedaSettingProblems(type: string, metadata: { readonly [key: string]: string }): KedaSettingProblem[] {
  if (type !== 'aws-sqs-queue') return [];
  const out: KedaSettingProblem[] = [];
  if (metadata.queueURL === undefined && metadata.queueURLFromEnv === undefined) {
    out.push({
      setting: 'queueURL',
      value: undefined,
      problem: 'is unset (nor is queueURLFromEnv): KEDA\'s aws-sqs-queue scaler needs the queue it scales on',
      fix: "set queueURL to the queue's URL, for example 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders'",
    });
  }
  if (metadata.awsRegion === undefined || metadata.awsRegion.trim() === '') {
    const fromUrl = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(metadata.queueURL ?? '')?.[1];
    out.push({
      setting: 'awsRegion',
      value: metadata.awsRegion,
      problem: 'is unset: KEDA\'s aws-sqs-queue scaler needs the region of the queue',
      fix: `set awsRegion${fromUrl ? ` to '${fromUrl}', the region of queueURL` : ", for example 'eu-west-1'"}`,
    });
  }
  for (const k of ['queueLength', 'activationQueueLength']) {
    const v = metadata[k];
    if (v !== undefined && !/^\d+$/.test(v.trim())) {
      out.push({ setting: k, value: v, problem: 'is not a whole number of messages, which KEDA\'s aws-sqs-queue scaler reads it as', fix: "write it as a number in quotes, for example '30'" });
    }
  }
  for (const k of ['scaleOnInFlight', 'scaleOnDelayed']) {
    const v = metadata[k];
    if (v !== undefined && !/^(true|false)$/i.test(v.trim())) {
      out.push({ setting: k, value: v, problem: 'is not true or false, which KEDA\'s aws-sqs-queue scaler reads it as', fix: "write 'true' or 'false'" });
    }
  }
  return out;
}

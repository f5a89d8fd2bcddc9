/**
 * The config folder's public entry: wrangler config discovery, parsing, validation and `[env.NAME]`
 * merging, `.dev.vars` / `.env` loading, and the resolved plan of a Worker (config + flags).
 * Other folders import only from here.
 */
export { findConfigPath, CONFIG_FILE_NAMES } from "./find.js";
export { readConfig } from "./read-config.js";
export type { LoadedConfig, ReadConfigOptions } from "./read-config.js";
export { loadDevVars, defaultEnvFiles } from "./dev-vars.js";
export type { DevVars, LoadDevVarsOptions } from "./dev-vars.js";
export { CONFIG_KEYS, keySpec } from "./schema.js";
export { planFromConfig, planWorker, today } from "./worker-plan.js";
export type { PlanExtras, WorkerFlags, WorkerPlan } from "./worker-plan.js";
export type { PlanNote } from "./binding-sources.js";
export type {
  AiBindingConfig,
  AnalyticsEngineDatasetConfig,
  AssetsConfig,
  BuildConfig,
  ConfigKey,
  D1DatabaseConfig,
  DevConfig,
  DispatchNamespaceConfig,
  DurableObjectBindingConfig,
  DurableObjectMigration,
  HyperdriveConfig,
  KeyScope,
  KeySpec,
  KvNamespaceConfig,
  ModuleRule,
  MtlsCertificateConfig,
  ObservabilityConfig,
  OtherBindingConfig,
  PipelineConfig,
  PlacementConfig,
  QueueConsumerConfig,
  QueueProducerConfig,
  R2BucketConfig,
  RateLimitConfig,
  Route,
  SecretsStoreSecretConfig,
  SendEmailConfig,
  ServiceBindingConfig,
  SimpleBindingConfig,
  SiteConfig,
  TailConsumerConfig,
  TopLevelOnlyKey,
  UnsafeConfig,
  VectorizeConfig,
  WorkflowConfig,
  WranglerConfig,
  WranglerEnvironment,
} from "./schema.js";

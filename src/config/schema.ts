/**
 * wrangler's configuration model: the TypeScript shape of every key (snake_case, exactly as in
 * wrangler's `config-schema.json`), and ONE table (`CONFIG_KEYS`) saying for each key where it may
 * appear (top level only / inherited by `[env.NAME]` / not inherited), its value shape, its CLI
 * flag and, for bindings, what wrangler calls the binding kind. The env merge, the validator and
 * the unknown-key warnings all read that table; nothing else lists keys.
 *
 * Reference: api-surface.md 0.2 and 0.3 (wrangler 4.86).
 */
import {
  arrayOf,
  bindingList,
  bool,
  date,
  json,
  nul,
  num,
  obj,
  oneOf,
  recordOf,
  required,
  str,
  strings,
  union,
  type Shape,
} from "./shape.js";

// ---------------------------------------------------------------------------------------------
// Value types
// ---------------------------------------------------------------------------------------------

/** A route: a pattern string, or an object naming its zone / custom domain. */
export type Route =
  | string
  | { pattern: string; zone_id?: string; zone_name?: string; custom_domain?: boolean; enabled?: boolean; previews_enabled?: boolean };

/** A module rule: which files `import` as which module type. */
export interface ModuleRule {
  type: "ESModule" | "CommonJS" | "CompiledWasm" | "Text" | "Data" | "PythonModule" | "PythonRequirement";
  globs: string[];
  fallthrough?: boolean;
}

export interface KvNamespaceConfig { binding: string; id?: string; preview_id?: string; remote?: boolean }
export interface R2BucketConfig { binding: string; bucket_name?: string; preview_bucket_name?: string; jurisdiction?: string; remote?: boolean }
export interface D1DatabaseConfig {
  binding: string;
  database_name?: string;
  database_id?: string;
  preview_database_id?: string;
  /** Default `d1_migrations`. */
  migrations_table?: string;
  /** Default `./migrations`, relative to the config file's folder. */
  migrations_dir?: string;
  database_internal_env?: string;
  remote?: boolean;
}
export interface DurableObjectBindingConfig {
  name: string;
  class_name: string;
  /** The Worker that defines the class, when it is not this one. */
  script_name?: string;
  /** The environment of `script_name`. */
  environment?: string;
}
export interface DurableObjectMigration {
  tag: string;
  new_classes?: string[];
  new_sqlite_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  deleted_classes?: string[];
  transferred_classes?: { from: string; from_script: string; to: string }[];
}
export interface ServiceBindingConfig {
  binding: string;
  service: string;
  environment?: string;
  /** Named export (WorkerEntrypoint) of the target. */
  entrypoint?: string;
  /** Becomes `ctx.props` in the target. */
  props?: Record<string, unknown>;
  remote?: boolean;
}
export interface QueueProducerConfig { binding: string; queue: string; delivery_delay?: number; remote?: boolean }
export interface QueueConsumerConfig {
  queue: string;
  type?: "worker";
  max_batch_size?: number;
  max_batch_timeout?: number;
  max_retries?: number;
  dead_letter_queue?: string;
  max_concurrency?: number | null;
  retry_delay?: number;
  visibility_timeout_ms?: number;
}
export interface AnalyticsEngineDatasetConfig { binding: string; dataset?: string }
export interface AiBindingConfig {
  binding: string;
  staging?: boolean;
  remote?: boolean;
  /** Hearth: the OpenAI-compatible inference server (`HEARTH_AI_BASE_URL` wins over it). */
  base_url?: string;
  /** Hearth: Workers AI model name → the inference server's model name, over Hearth's defaults. */
  models?: Record<string, string>;
}
/** A binding that is only a name (browser, images, media, stream, version_metadata ...). */
export interface SimpleBindingConfig { binding: string; remote?: boolean }
export interface WorkflowConfig { binding: string; name: string; class_name: string; script_name?: string; remote?: boolean }
export interface SendEmailConfig {
  name: string;
  destination_address?: string;
  allowed_destination_addresses?: string[];
  allowed_sender_addresses?: string[];
  remote?: boolean;
}
export interface VectorizeConfig { binding: string; index_name: string; remote?: boolean }
export interface HyperdriveConfig { binding: string; id: string; localConnectionString?: string }
export interface MtlsCertificateConfig { binding: string; certificate_id: string; remote?: boolean }
export interface DispatchNamespaceConfig {
  binding: string;
  namespace: string;
  outbound?: { service: string; environment?: string; parameters?: string[] };
  remote?: boolean;
}
export interface PipelineConfig { binding: string; pipeline: string; remote?: boolean }
export interface SecretsStoreSecretConfig { binding: string; store_id: string; secret_name: string }
export interface RateLimitConfig { name: string; namespace_id: string; simple: { limit: number; period: number } }
export interface TailConsumerConfig { service: string; environment?: string }
/** Binding kinds Hearth does not simulate: only `binding` is checked, other fields are kept. */
export interface OtherBindingConfig { binding: string; [field: string]: unknown }

export interface AssetsConfig {
  directory?: string;
  binding?: string;
  html_handling?: "auto-trailing-slash" | "force-trailing-slash" | "drop-trailing-slash" | "none";
  not_found_handling?: "single-page-application" | "404-page" | "none";
  /** true/false, or route patterns (`!` negates) that go to the Worker first. */
  run_worker_first?: boolean | string[];
}

export interface DevConfig {
  ip?: string;
  port?: number;
  inspector_port?: number;
  inspector_ip?: string;
  local_protocol?: "http" | "https";
  upstream_protocol?: "http" | "https";
  host?: string;
  enable_containers?: boolean;
  container_engine?: string;
  generate_types?: boolean;
}

export interface BuildConfig { command?: string; cwd?: string; watch_dir?: string | string[] }
export interface PlacementConfig { mode?: "off" | "smart"; hint?: string; region?: string; host?: string; hostname?: string }
export interface ObservabilityConfig {
  enabled?: boolean;
  head_sampling_rate?: number;
  logs?: Record<string, unknown>;
  traces?: Record<string, unknown>;
}
export interface SiteConfig { bucket: string; include?: string[]; exclude?: string[]; "entry-point"?: string }
export interface UnsafeConfig {
  bindings?: { name: string; type: string; [field: string]: unknown }[];
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// The config
// ---------------------------------------------------------------------------------------------

/** wrangler's config shape (snake_case keys exactly as wrangler's config-schema.json), all optional. */
export interface WranglerConfig {
  // --- top level only ---
  /** JSON schema reference for editors; ignored. */
  $schema?: string;
  /** Named environments, selected with `--env NAME`. Removed from the effective config. */
  env?: Record<string, WranglerEnvironment>;
  /** Present ⇒ this is a Pages project; the static output folder. */
  pages_build_output_dir?: string;
  legacy_env?: boolean;
  send_metrics?: boolean;
  /** Settings for the local dev server. */
  dev?: DevConfig;
  /** Workers Sites (legacy static assets). */
  site?: SiteConfig;
  /** Service-worker format only: global name → file path. */
  wasm_modules?: Record<string, string>;
  text_blobs?: Record<string, string>;
  data_blobs?: Record<string, string>;
  /** Module aliases for the bundler. */
  alias?: Record<string, string>;
  keep_vars?: boolean;

  // --- inheritable ---
  /** Worker name; under `--env X` it becomes `<name>-X` unless the env sets its own. */
  name?: string;
  account_id?: string;
  /** `YYYY-MM-DD`. */
  compatibility_date?: string;
  compatibility_flags?: string[];
  /** Entry point, relative to the config file's folder. */
  main?: string;
  find_additional_modules?: boolean;
  preserve_file_names?: boolean;
  base_dir?: string;
  workers_dev?: boolean;
  preview_urls?: boolean;
  routes?: Route[];
  route?: Route;
  tsconfig?: string;
  jsx_factory?: string;
  jsx_fragment?: string;
  migrations?: DurableObjectMigration[];
  triggers?: { crons: string[] };
  limits?: { cpu_ms?: number; subrequests?: number };
  rules?: ModuleRule[];
  build?: BuildConfig;
  no_bundle?: boolean;
  minify?: boolean;
  keep_names?: boolean;
  first_party_worker?: boolean;
  logfwdr?: { bindings: { name: string; destination: string }[] };
  logpush?: boolean;
  upload_source_maps?: boolean;
  placement?: PlacementConfig;
  assets?: AssetsConfig;
  observability?: ObservabilityConfig;
  compliance_region?: "public" | "fedramp_high";
  python_modules?: { exclude?: string[] };
  previews?: Record<string, unknown>;

  // --- not inherited (each env must re-declare them) ---
  /** Build-time substitutions: identifier → JS expression. */
  define?: Record<string, string>;
  /** Plain-text (string) or JSON (anything else) variables. */
  vars?: Record<string, unknown>;
  /** Secrets the Worker needs (experimental). */
  secrets?: { required?: string[] };
  durable_objects?: { bindings: DurableObjectBindingConfig[] };
  workflows?: WorkflowConfig[];
  containers?: Record<string, unknown>[];
  cloudchamber?: Record<string, unknown>;
  kv_namespaces?: KvNamespaceConfig[];
  send_email?: SendEmailConfig[];
  queues?: { producers?: QueueProducerConfig[]; consumers?: QueueConsumerConfig[] };
  r2_buckets?: R2BucketConfig[];
  d1_databases?: D1DatabaseConfig[];
  vectorize?: VectorizeConfig[];
  hyperdrive?: HyperdriveConfig[];
  services?: ServiceBindingConfig[];
  analytics_engine_datasets?: AnalyticsEngineDatasetConfig[];
  browser?: SimpleBindingConfig;
  ai?: AiBindingConfig;
  images?: SimpleBindingConfig;
  media?: SimpleBindingConfig;
  stream?: SimpleBindingConfig;
  /** Not inherited, as in wrangler's validation (api-surface.md 0.2 lists it as inheritable). */
  version_metadata?: SimpleBindingConfig;
  unsafe?: UnsafeConfig;
  mtls_certificates?: MtlsCertificateConfig[];
  tail_consumers?: TailConsumerConfig[];
  streaming_tail_consumers?: TailConsumerConfig[];
  dispatch_namespaces?: DispatchNamespaceConfig[];
  pipelines?: PipelineConfig[];
  secrets_store_secrets?: SecretsStoreSecretConfig[];
  ratelimits?: RateLimitConfig[];
  worker_loaders?: { binding: string }[];
  vpc_services?: OtherBindingConfig[];
  vpc_networks?: OtherBindingConfig[];
  ai_search?: OtherBindingConfig[];
  ai_search_namespaces?: OtherBindingConfig[];
  artifacts?: OtherBindingConfig[];
  flagship?: OtherBindingConfig[];
}

/** Keys that may only appear at the top level of the file. */
export type TopLevelOnlyKey =
  | "$schema" | "env" | "pages_build_output_dir" | "legacy_env" | "send_metrics" | "dev" | "site"
  | "wasm_modules" | "text_blobs" | "data_blobs" | "alias" | "keep_vars";

/** What one `[env.NAME]` section may contain. */
export type WranglerEnvironment = Omit<WranglerConfig, TopLevelOnlyKey>;

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/**
 * - `top-level`: only allowed at the top level; inside `[env.NAME]` it is warned about and ignored.
 * - `inherited`: the env's value, else the top-level value.
 * - `not-inherited`: the env's value, else nothing (with a warning when the top level has one).
 */
export type KeyScope = "top-level" | "inherited" | "not-inherited";

export interface KeySpec {
  readonly scope: KeyScope;
  readonly shape: Shape;
  /** The `wrangler dev` / `pages dev` flag that overrides or supplies this key, if any. */
  readonly flag?: string;
  /** For binding keys: wrangler's name for the kind, used in duplicate-name errors. */
  readonly binding?: string;
}

const route = union(
  "a string or an object with a \"pattern\"",
  str,
  obj({ pattern: required(str), zone_id: str, zone_name: str, custom_domain: bool, enabled: bool, previews_enabled: bool }),
);
const simpleBinding = obj({ binding: required(str), remote: bool });
const otherBindings = arrayOf(obj({ binding: required(str) }, { open: true }));

export const CONFIG_KEYS = {
  // --- top level only ---
  $schema: { scope: "top-level", shape: str },
  env: { scope: "top-level", shape: recordOf(obj({}, { open: true })), flag: "--env" },
  pages_build_output_dir: { scope: "top-level", shape: str },
  legacy_env: { scope: "top-level", shape: bool, flag: "--legacy-env" },
  send_metrics: { scope: "top-level", shape: bool },
  dev: {
    scope: "top-level",
    shape: obj({
      ip: str, port: num, inspector_port: num, inspector_ip: str,
      local_protocol: oneOf("http", "https"), upstream_protocol: oneOf("http", "https"),
      host: str, enable_containers: bool, container_engine: str, generate_types: bool,
    }),
    flag: "--ip, --port, --inspector-port, --inspector-ip, --local-protocol, --upstream-protocol, --host",
  },
  site: {
    scope: "top-level",
    shape: obj({ bucket: required(str), include: strings, exclude: strings, "entry-point": str }),
    flag: "--site",
  },
  wasm_modules: { scope: "top-level", shape: recordOf(str), binding: "Wasm Module" },
  text_blobs: { scope: "top-level", shape: recordOf(str), binding: "Text Blob" },
  data_blobs: { scope: "top-level", shape: recordOf(str), binding: "Data Blob" },
  alias: { scope: "top-level", shape: recordOf(str), flag: "--alias" },
  keep_vars: { scope: "top-level", shape: bool },

  // --- inheritable ---
  name: { scope: "inherited", shape: str, flag: "--name" },
  account_id: { scope: "inherited", shape: str },
  compatibility_date: { scope: "inherited", shape: date, flag: "--compatibility-date" },
  compatibility_flags: { scope: "inherited", shape: strings, flag: "--compatibility-flags" },
  main: { scope: "inherited", shape: str, flag: "[script]" },
  find_additional_modules: { scope: "inherited", shape: bool },
  preserve_file_names: { scope: "inherited", shape: bool },
  base_dir: { scope: "inherited", shape: str },
  workers_dev: { scope: "inherited", shape: bool },
  preview_urls: { scope: "inherited", shape: bool },
  routes: { scope: "inherited", shape: arrayOf(route), flag: "--routes" },
  route: { scope: "inherited", shape: route, flag: "--routes" },
  tsconfig: { scope: "inherited", shape: str, flag: "--tsconfig" },
  jsx_factory: { scope: "inherited", shape: str, flag: "--jsx-factory" },
  jsx_fragment: { scope: "inherited", shape: str, flag: "--jsx-fragment" },
  migrations: {
    scope: "inherited",
    shape: arrayOf(obj({
      tag: required(str),
      new_classes: strings,
      new_sqlite_classes: strings,
      renamed_classes: arrayOf(obj({ from: required(str), to: required(str) })),
      deleted_classes: strings,
      transferred_classes: arrayOf(obj({ from: required(str), from_script: required(str), to: required(str) })),
    })),
  },
  triggers: { scope: "inherited", shape: obj({ crons: required(strings) }) },
  limits: { scope: "inherited", shape: obj({ cpu_ms: num, subrequests: num }) },
  rules: {
    scope: "inherited",
    shape: arrayOf(obj({
      type: required(oneOf("ESModule", "CommonJS", "CompiledWasm", "Text", "Data", "PythonModule", "PythonRequirement")),
      globs: required(strings),
      fallthrough: bool,
    })),
  },
  build: {
    scope: "inherited",
    shape: obj({ command: str, cwd: str, watch_dir: union("a string or an array of strings", str, strings) }),
  },
  no_bundle: { scope: "inherited", shape: bool, flag: "--no-bundle" },
  minify: { scope: "inherited", shape: bool, flag: "--minify" },
  keep_names: { scope: "inherited", shape: bool },
  first_party_worker: { scope: "inherited", shape: bool },
  logfwdr: {
    scope: "inherited",
    shape: obj({ bindings: required(arrayOf(obj({ name: required(str), destination: required(str) }))) }),
  },
  logpush: { scope: "inherited", shape: bool },
  upload_source_maps: { scope: "inherited", shape: bool },
  placement: { scope: "inherited", shape: obj({ mode: oneOf("off", "smart"), hint: str, region: str, host: str, hostname: str }) },
  assets: {
    scope: "inherited",
    shape: obj({
      directory: str,
      binding: str,
      html_handling: oneOf("auto-trailing-slash", "force-trailing-slash", "drop-trailing-slash", "none"),
      not_found_handling: oneOf("single-page-application", "404-page", "none"),
      run_worker_first: union("a boolean or an array of strings", bool, strings),
    }),
    flag: "--assets",
    binding: "Assets",
  },
  observability: {
    scope: "inherited",
    shape: obj({ enabled: bool, head_sampling_rate: num, logs: obj({}, { open: true }), traces: obj({}, { open: true }) }),
  },
  compliance_region: { scope: "inherited", shape: oneOf("public", "fedramp_high") },
  python_modules: { scope: "inherited", shape: obj({ exclude: strings }) },
  previews: { scope: "inherited", shape: obj({}, { open: true }) },

  // --- not inherited ---
  define: { scope: "not-inherited", shape: recordOf(str), flag: "--define" },
  vars: { scope: "not-inherited", shape: recordOf(json), flag: "--var", binding: "Environment Variable" },
  secrets: { scope: "not-inherited", shape: obj({ required: strings }) },
  durable_objects: {
    scope: "not-inherited",
    shape: obj({
      bindings: required(arrayOf(obj({ name: required(str), class_name: required(str), script_name: str, environment: str }))),
    }),
    flag: "--do",
    binding: "Durable Object",
  },
  workflows: {
    scope: "not-inherited",
    shape: bindingList({ name: required(str), class_name: required(str), script_name: str, remote: bool }),
    binding: "Workflow",
  },
  containers: { scope: "not-inherited", shape: arrayOf(obj({}, { open: true })) },
  cloudchamber: { scope: "not-inherited", shape: obj({}, { open: true }) },
  kv_namespaces: {
    scope: "not-inherited",
    shape: bindingList({ id: str, preview_id: str, remote: bool }),
    flag: "--kv",
    binding: "KV Namespace",
  },
  send_email: {
    scope: "not-inherited",
    shape: arrayOf(obj({
      name: required(str), destination_address: str, allowed_destination_addresses: strings,
      allowed_sender_addresses: strings, remote: bool,
    })),
    binding: "Send Email",
  },
  queues: {
    scope: "not-inherited",
    shape: obj({
      producers: bindingList({ queue: required(str), delivery_delay: num, remote: bool }),
      consumers: arrayOf(obj({
        queue: required(str), type: oneOf("worker"), max_batch_size: num, max_batch_timeout: num,
        max_retries: num, dead_letter_queue: str, max_concurrency: union("a number or null", num, nul),
        retry_delay: num, visibility_timeout_ms: num,
      })),
    }),
    binding: "Queue",
  },
  r2_buckets: {
    scope: "not-inherited",
    shape: bindingList({ bucket_name: str, preview_bucket_name: str, jurisdiction: str, remote: bool }),
    flag: "--r2",
    binding: "R2 Bucket",
  },
  d1_databases: {
    scope: "not-inherited",
    shape: bindingList({
      database_name: str, database_id: str, preview_database_id: str, migrations_table: str,
      migrations_dir: str, database_internal_env: str, remote: bool,
    }),
    flag: "--d1",
    binding: "D1 Database",
  },
  vectorize: { scope: "not-inherited", shape: bindingList({ index_name: required(str), remote: bool }), binding: "Vectorize Index" },
  hyperdrive: { scope: "not-inherited", shape: bindingList({ id: required(str), localConnectionString: str }), binding: "Hyperdrive Config" },
  services: {
    scope: "not-inherited",
    shape: bindingList({ service: required(str), environment: str, entrypoint: str, props: recordOf(json), remote: bool }),
    flag: "--service",
    binding: "Worker",
  },
  analytics_engine_datasets: { scope: "not-inherited", shape: bindingList({ dataset: str }), binding: "Analytics Engine Dataset" },
  browser: { scope: "not-inherited", shape: simpleBinding, binding: "Browser" },
  // base_url and models are Hearth's (bindings/ai/binding.ts); wrangler ignores them with a warning.
  ai: { scope: "not-inherited", shape: obj({ binding: required(str), staging: bool, remote: bool, base_url: str, models: recordOf(str) }), flag: "--ai", binding: "AI" },
  images: { scope: "not-inherited", shape: simpleBinding, binding: "Images" },
  media: { scope: "not-inherited", shape: simpleBinding, binding: "Media" },
  stream: { scope: "not-inherited", shape: simpleBinding, binding: "Stream" },
  version_metadata: { scope: "not-inherited", shape: simpleBinding, flag: "--version-metadata", binding: "Worker Version Metadata" },
  unsafe: {
    scope: "not-inherited",
    shape: obj({ bindings: arrayOf(obj({ name: required(str), type: required(str) }, { open: true })), metadata: recordOf(json) }, { open: true }),
  },
  mtls_certificates: { scope: "not-inherited", shape: bindingList({ certificate_id: required(str), remote: bool }), binding: "mTLS Certificate" },
  tail_consumers: { scope: "not-inherited", shape: arrayOf(obj({ service: required(str), environment: str })) },
  streaming_tail_consumers: { scope: "not-inherited", shape: arrayOf(obj({ service: required(str), environment: str })) },
  dispatch_namespaces: {
    scope: "not-inherited",
    shape: bindingList({
      namespace: required(str),
      outbound: obj({ service: required(str), environment: str, parameters: strings }),
      remote: bool,
    }),
    binding: "Dispatch Namespace",
  },
  pipelines: { scope: "not-inherited", shape: bindingList({ pipeline: required(str), remote: bool }), binding: "Pipeline" },
  secrets_store_secrets: {
    scope: "not-inherited",
    shape: bindingList({ store_id: required(str), secret_name: required(str) }),
    binding: "Secrets Store Secret",
  },
  ratelimits: {
    scope: "not-inherited",
    shape: arrayOf(obj({
      name: required(str),
      namespace_id: required(str),
      simple: required(obj({ limit: required(num), period: required(num) })),
    })),
    binding: "Rate Limit",
  },
  worker_loaders: { scope: "not-inherited", shape: bindingList({}), binding: "Worker Loader" },
  vpc_services: { scope: "not-inherited", shape: otherBindings, binding: "VPC Service" },
  vpc_networks: { scope: "not-inherited", shape: otherBindings, binding: "VPC Network" },
  ai_search: { scope: "not-inherited", shape: otherBindings, binding: "AI Search Instance" },
  ai_search_namespaces: { scope: "not-inherited", shape: otherBindings, binding: "AI Search Namespace" },
  artifacts: { scope: "not-inherited", shape: otherBindings, binding: "Artifacts" },
  flagship: { scope: "not-inherited", shape: otherBindings, binding: "Flagship" },
} as const satisfies Record<keyof WranglerConfig, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The table entry for `key`, or undefined for a key wrangler does not know. */
export function keySpec(key: string): KeySpec | undefined {
  return Object.hasOwn(CONFIG_KEYS, key) ? (CONFIG_KEYS as Record<string, KeySpec>)[key] : undefined;
}

/** Every known key, in table order. */
export const KNOWN_KEYS: readonly ConfigKey[] = Object.keys(CONFIG_KEYS) as ConfigKey[];

/**
 * What the host hands an isolate about each binding: plain, structured-cloneable data, built from
 * the resolved config on the main thread and turned into the `env` value inside the isolate
 * (see ./create-env.ts). One member per binding kind; add a member when a kind lands.
 */
export type BindingDescriptor =
  | TextBinding
  | JsonBinding
  | KvBinding
  | R2Binding
  | D1Binding
  | AssetsBinding
  | ServiceBinding
  | DurableObjectBinding
  | QueueProducerBinding
  | AiBinding
  | AnalyticsEngineBinding;

/** A plain-text var (`[vars]` string, `--var`, `-b`) or a secret (`.dev.vars`, `.env`). */
export interface TextBinding {
  kind: "text";
  name: string;
  value: string;
  /** Secrets are never printed: the banner shows "(hidden)". */
  secret: boolean;
}

/** A non-string `[vars]` value, delivered parsed. */
export interface JsonBinding {
  kind: "json";
  name: string;
  value: unknown;
}

/** A KV namespace. */
export interface KvBinding {
  kind: "kv";
  name: string;
  /** The namespace id local mode uses: `preview_id`, else `id`, else the binding name. */
  namespaceId: string;
  /** Folder holding this namespace's SQLite database and blob files. */
  dir: string;
}

/** An R2 bucket. */
export interface R2Binding {
  kind: "r2";
  name: string;
  /** The bucket local mode uses: `preview_bucket_name`, else `bucket_name`, else the binding name. */
  bucketName: string;
  /** Folder holding this bucket's SQLite database and blob files. */
  dir: string;
}

/** A D1 database (`d1_databases`, Pages `--d1`). */
export interface D1Binding {
  kind: "d1";
  name: string;
  /** The database id local mode uses: `preview_database_id`, else `database_id`, else the binding name. */
  databaseId: string;
  /** `database_name` from the config (`local-<BINDING>` for `--d1`), shown in the banner. */
  databaseName?: string;
  /** Folder holding this database's SQLite file. */
  dir: string;
}

/** A folder of static assets served through the Pages asset server (`env.ASSETS` in Pages). */
export interface AssetsBinding {
  kind: "assets";
  name: string;
  /** Absolute path of the asset folder. */
  directory: string;
}

/** A service binding to another Worker (`services`, Pages `--service`). */
export interface ServiceBinding {
  kind: "service";
  name: string;
  /** Name of the target Worker. */
  service: string;
  /** Named export of the target to call instead of its default export. */
  entrypoint?: string;
  /** Given to the target as `ctx.props`. */
  props?: Record<string, unknown>;
}

/** A Durable Object namespace (`durable_objects.bindings`, Pages `--do`). */
export interface DurableObjectBinding {
  kind: "durable-object";
  name: string;
  className: string;
  /** The Worker that defines the class (this Worker's own name when `local`). */
  scriptName: string;
  /** The class is defined by this Worker, so its objects run in this Worker's isolate. */
  local: boolean;
}

/** A queue producer (`queues.producers`): `env.NAME.send()` writes to the queue's folder. */
export interface QueueProducerBinding {
  kind: "queue";
  name: string;
  /** The queue's name (`queue`). */
  queueName: string;
  /** Folder holding the queue's SQLite database. */
  dir: string;
  /** `delivery_delay`: the delay of messages that name none, in seconds. */
  deliveryDelaySeconds: number;
  /** The content type of a body sent without one: "json" from compatibility date 2024-03-18, else "v8". */
  defaultContentType: "json" | "v8";
}

/** An Analytics Engine dataset (`analytics_engine_datasets`): `env.NAME.writeDataPoint()`. */
export interface AnalyticsEngineBinding {
  kind: "analytics-engine";
  name: string;
  /** The dataset points are written to: `dataset`, else the binding name. */
  dataset: string;
  /** Folder holding the state root's Analytics Engine database (shared by every dataset). */
  dir: string;
}

/**
 * Workers AI (`[ai]`, Pages `--ai`): `env.NAME.run()` runs models on an OpenAI-compatible
 * inference server the user runs (see bindings/ai/binding.ts for where the settings come from).
 */
export interface AiBinding {
  kind: "ai";
  name: string;
  /** The server's API root (`…/v1`); absent when none is configured. */
  baseUrl?: string;
  /** Where `baseUrl` came from, named in errors: `HEARTH_AI_BASE_URL` or the config's `[ai] base_url`. */
  baseUrlSource?: string;
  /** `HEARTH_AI_API_KEY`, sent as a bearer token. Never shown in the banner. */
  apiKey?: string;
  /** Workers AI model name → the server's model name: Hearth's defaults with `[ai.models]` applied. */
  models: Record<string, string>;
}

/**
 * What the host hands an isolate about each binding: plain, structured-cloneable data, built from
 * the resolved config on the main thread and turned into the `env` value inside the isolate
 * (see ./create-env.ts). One member per binding kind; add a member when a kind lands.
 */
export type BindingDescriptor = TextBinding | JsonBinding | KvBinding | AssetsBinding | ServiceBinding;

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

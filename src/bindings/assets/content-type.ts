/**
 * Content-Type of a static asset by its file extension, as `wrangler pages dev` picks it: the
 * `mime` package's standard table (what Cloudflare Pages uses too), `; charset=utf-8` added to
 * every `text/*` type, `application/octet-stream` for anything unknown.
 */

/** Extension (lowercase, no dot) → media type. The common part of mime's standard table. */
const MEDIA_TYPES: Record<string, string> = {
  // text
  html: "text/html",
  htm: "text/html",
  shtml: "text/html",
  css: "text/css",
  csv: "text/csv",
  txt: "text/plain",
  text: "text/plain",
  conf: "text/plain",
  log: "text/plain",
  ini: "text/plain",
  md: "text/markdown",
  markdown: "text/markdown",
  xml: "application/xml",
  ics: "text/calendar",
  vtt: "text/vtt",
  yaml: "text/yaml",
  yml: "text/yaml",
  jsx: "text/jsx",
  mdx: "text/mdx",
  coffee: "text/coffeescript",
  // scripts and data
  js: "application/javascript",
  mjs: "application/javascript",
  cjs: "application/node",
  json: "application/json",
  map: "application/json",
  jsonld: "application/ld+json",
  webmanifest: "application/manifest+json",
  wasm: "application/wasm",
  pdf: "application/pdf",
  rss: "application/rss+xml",
  atom: "application/atom+xml",
  xhtml: "application/xhtml+xml",
  zip: "application/zip",
  gz: "application/gzip",
  tar: "application/x-tar",
  br: "application/octet-stream",
  bin: "application/octet-stream",
  exe: "application/octet-stream",
  dll: "application/octet-stream",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  eot: "application/vnd.ms-fontobject",
  // images
  png: "image/png",
  apng: "image/apng",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
  svgz: "image/svg+xml",
  ico: "image/vnd.microsoft.icon",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
  heic: "image/heic",
  heif: "image/heif",
  jxl: "image/jxl",
  // audio and video
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  aac: "audio/aac",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  wav: "audio/wav",
  flac: "audio/x-flac",
  weba: "audio/webm",
  mid: "audio/midi",
  midi: "audio/midi",
  mp4: "video/mp4",
  m4v: "video/mp4",
  mpeg: "video/mpeg",
  mpg: "video/mpeg",
  webm: "video/webm",
  ogv: "video/ogg",
  mov: "video/quicktime",
  avi: "video/x-msvideo",
  ts: "video/mp2t",
};

export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

/** The Content-Type header value for a file name or path. */
export function contentTypeFor(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  const type = dot === -1 ? undefined : MEDIA_TYPES[base.slice(dot + 1).toLowerCase()];
  if (type === undefined) return DEFAULT_CONTENT_TYPE;
  return type.startsWith("text/") ? `${type}; charset=utf-8` : type;
}

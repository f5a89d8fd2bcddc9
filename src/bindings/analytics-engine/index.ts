/**
 * Workers Analytics Engine: the folder's only public entry. Other folders import from here, never
 * deeper. index.test.ts pins this list.
 */
export { analyticsEngineDescriptors, closeAnalyticsEngineWriters, createAnalyticsEngineDataset } from "./binding.js";
export type { AnalyticsEngineDatasetConfig } from "./binding.js";
export { createAnalyticsEngineApi, toStoredDataPoint } from "./api.worker.js";
export type { AnalyticsEngineApiOptions, AnalyticsEngineDataPoint, AnalyticsEngineDataset, DataPointSink } from "./api.worker.js";
export { analyticsEngineDir, openAnalyticsDatabase, openSqliteAnalyticsStore } from "./drivers/sqlite.js";
export type { AnalyticsEngineStore, StoredDataPoint } from "./store.js";
export * from "./limits.js";
export { AnalyticsSqlError, runAnalyticsQuery } from "./sql/index.js";
export type { AnalyticsQueryOptions, AnalyticsQueryResult } from "./sql/index.js";

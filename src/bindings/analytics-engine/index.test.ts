import assert from "node:assert/strict";
import { it } from "node:test";
import * as analyticsEngine from "./index.js";

it("src/bindings/analytics-engine/index.ts exports exactly its public surface", () => {
  assert.deepEqual(Object.keys(analyticsEngine).sort(), [
    "AE_LIMITS_DOCS_URL",
    "AE_MAX_BLOBS",
    "AE_MAX_DOUBLES",
    "AE_MAX_INDEXES",
    "AE_MAX_INDEX_SIZE_BYTES",
    "AE_MAX_TOTAL_BLOB_SIZE_BYTES",
    "AnalyticsSqlError",
    "analyticsEngineDescriptors",
    "analyticsEngineDir",
    "closeAnalyticsEngineWriters",
    "createAnalyticsEngineApi",
    "createAnalyticsEngineDataset",
    "openAnalyticsDatabase",
    "openSqliteAnalyticsStore",
    "runAnalyticsQuery",
    "toStoredDataPoint",
  ]);
});

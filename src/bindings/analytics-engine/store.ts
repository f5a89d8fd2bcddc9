/**
 * What the Analytics Engine binding needs from storage: append points. Queries go through the SQL
 * API (./sql/), which reads the same database. Drivers live in ./drivers/.
 */

/** One data point as stored: the columns of Cloudflare's table for it. */
export interface StoredDataPoint {
  dataset: string;
  /** Write time, milliseconds since the UNIX epoch. */
  timestamp: number;
  /** `index1`: '' when the point has none. */
  index: string;
  /** `blob1..`: as many as the point has (missing ones read as ''). */
  blobs: string[];
  /** `double1..`: as many as the point has (missing ones read as 0). */
  doubles: number[];
}

export interface AnalyticsEngineStore {
  /** Appends the points in one transaction. */
  append(points: readonly StoredDataPoint[]): void;
  close(): void;
}

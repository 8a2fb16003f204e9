/** Node-only entry: the native better-sqlite3 driver (an optional dependency). */
export { createBetterSqlite3Driver, type BetterSqlite3DriverOptions } from './db/better-sqlite3-driver.js';

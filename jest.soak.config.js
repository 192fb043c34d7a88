/**
 * `npm run test:soak`: the crash soaks, many seeded runs each, kept out of `npm test`. SOAK_RUNS runs per
 * scenario (default 20), SOAK_SEED the first run's seed (default random; every run prints its own).
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/*.soak.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 3_600_000,
  // One soak at a time: their kill moments are measured against uninterrupted runs on an otherwise quiet machine.
  maxWorkers: 1,
};

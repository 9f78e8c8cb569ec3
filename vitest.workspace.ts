// The one place that lists the test projects: one per package, the cross-package
// end-to-end suite (e2e/), the documentation's examples, and one per example.
export const projects = [
  'packages/core',
  'packages/adapters',
  'packages/keypool',
  'packages/router',
  'packages/metering',
  'packages/telemetry',
  'packages/compliance',
  'e2e',
  'docs/examples',
  'examples/*',
];

// The one place that lists the test projects: one per package, one per example.
export const projects = [
  'packages/core',
  'packages/adapters',
  'packages/keypool',
  'packages/router',
  'packages/metering',
  'examples/*',
];

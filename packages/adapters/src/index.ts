export type { CircuitSnapshot, CircuitState } from './resilience/breaker.js';
export type { BreakerOptions, ResilienceOptions, RetryOptions } from './resilience/resilience-options.js';
export { type ResilientAdapter, withResilience } from './resilience/with-resilience.js';

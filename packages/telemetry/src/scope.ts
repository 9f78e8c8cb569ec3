/** The instrumentation scope name of every Forge1 tracer and meter. */
export const instrumentationScope = '@forge1/telemetry';

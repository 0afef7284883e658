/** S8: the e2e server serves /metrics on its public port only to this bearer token (playwright.config.ts). */
export const E2E_METRICS_TOKEN = 'e2e-metrics-token-0123456789';

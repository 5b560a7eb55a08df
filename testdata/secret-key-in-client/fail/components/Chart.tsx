'use client'
// Loaded on demand, still bundled for the browser.
export async function loadChart() {
  const { chartConfig } = await import('../lib/chart-config')
  return chartConfig
}

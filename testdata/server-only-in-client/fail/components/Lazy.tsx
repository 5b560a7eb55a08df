'use client'
export async function load() {
  return (await import('../lib/lazy-db')).query()
}

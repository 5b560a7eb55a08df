import { loadStats } from '../lib/stats'
import { StatsView } from './stats-view'

// Synchronous, but it starts a server-side fetch and hands the promise to the client.
export function Stats() {
  const stats = loadStats()
  return <StatsView stats={stats} />
}

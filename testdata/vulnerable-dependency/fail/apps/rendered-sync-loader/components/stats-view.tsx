'use client'

import { use } from 'react'

export function StatsView({ stats }: { stats: Promise<{ total: number }> }) {
  return <p>{use(stats).total}</p>
}

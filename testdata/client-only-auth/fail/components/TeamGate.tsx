'use client'
import { Protect } from '@clerk/nextjs'

export function TeamGate({ children }: { children: React.ReactNode }) {
  return <Protect role="org:member" fallback={<p>Members only</p>}>{children}</Protect>
}

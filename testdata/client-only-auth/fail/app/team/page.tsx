import { TeamGate } from '@/components'
import dynamic from 'next/dynamic'

const Members = dynamic(() => import('@/components/Members'))

export default function TeamPage() {
  return (
    <TeamGate> {/* expect: client-only-auth */}
      <Members />
    </TeamGate>
  )
}

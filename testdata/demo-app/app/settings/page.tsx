'use client'

import { useUser } from '@clerk/nextjs'
import { useEffect, useState } from 'react'
import { planLabel, type Plan } from '@/lib/billing'

export default function Settings() {
  const { isSignedIn, user } = useUser()
  const [billing, setBilling] = useState<{ plan: Plan } | null>(null)

  useEffect(() => {
    fetch('/api/projects?include=billing')
      .then((r) => r.json())
      .then(setBilling)
  }, [])

  if (!isSignedIn) return <p>Please sign in.</p>
  return (
    <div>
      <h1>Settings for {user.fullName}</h1>
      <p>Plan: {billing && planLabel(billing.plan)}</p>
    </div>
  )
}

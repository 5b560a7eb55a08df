'use client'
import { useUser } from '@clerk/nextjs'
import { useRouter } from 'next/navigation'
import { useEffect } from 'react'

// A public welcome page that sends visitors who are already signed in on to their dashboard:
// it turns nobody away, so it gates nothing.
export default function Welcome() {
  const { user } = useUser()
  const router = useRouter()
  useEffect(() => {
    if (user) {
      router.push('/dashboard')
    }
  }, [user, router])
  return <main>Welcome</main>
}

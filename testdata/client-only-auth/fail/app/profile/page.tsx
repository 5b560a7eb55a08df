'use client'
import { useAuth } from '@clerk/nextjs'
import { useRouter } from 'next/navigation'
import { useEffect } from 'react'

export default function Profile() {
  const { isLoaded, isSignedIn } = useAuth()
  const router = useRouter()
  useEffect(() => {
    if (isLoaded && !isSignedIn) router.replace('/sign-in') // expect: client-only-auth
  }, [isLoaded, isSignedIn, router])
  return <h1>Your profile</h1>
}

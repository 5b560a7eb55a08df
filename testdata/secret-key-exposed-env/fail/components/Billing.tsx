'use client'
import { useAuth } from '@clerk/nextjs'

export function Billing() {
  const { getToken } = useAuth()
  const secret = process.env.CLERK_SECRET_KEY // expect: secret-key-exposed-env
  return <button data-s={secret}>Pay</button>
}

'use client'
// Not Clerk: next-auth's useSession.
import { useSession } from 'next-auth/react'
export default function NextAuthPage() {
  const { data } = useSession()
  if (!data) return <p>Sign in</p>
  return <p>{data.user?.name}</p>
}

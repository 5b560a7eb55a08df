'use client'
import { useAuth } from '@clerk/nextjs'
import useSWR from 'swr'

export function ReportsView({ id }: { id: string }) {
  const { isSignedIn } = useAuth()
  const { data } = useSWR(`/api/reports/${id}?format=json`)
  return isSignedIn ? <pre>{JSON.stringify(data)}</pre> : <p>Sign in to see reports</p>
}

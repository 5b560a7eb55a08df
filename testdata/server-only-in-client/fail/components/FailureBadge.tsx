'use client'
// A type use and a value use: the import stays, and the server module ships.
import { ApiFailure } from '@/lib/api-failure'

type Code = ApiFailure['code']

export function FailureBadge({ error }: { error: unknown }) {
  const code: Code | null = error instanceof ApiFailure ? error.code : null
  return <span>{code}</span>
}

'use client'
// Both bindings are used in types only: TypeScript drops the import, and the server module
// never reaches the browser.
import { ApiError, parseError } from '@/lib/api-error'

type Code = ApiError['code']
type Parse = typeof parseError

export function ErrorBadge({ code, parse }: { code: Code; parse?: Parse }) {
  const label: Code | null = parse ? null : code
  return <span>{label}</span>
}

'use client'
// Alias import (tsconfig paths): lib/keys.ts ships with this module.
import { clerkKeys } from '@/lib/keys'

export function Profile() {
  return <div data-k={clerkKeys.secret.length} />
}

'use client'
import type { SecretConfig } from '../lib/secret-config'
import { rotate } from '../lib/actions'
export function ClientPanel(props: { publishableKey?: string; mode?: string; cfg?: SecretConfig }) {
  return <form action={rotate} data-pk={props.publishableKey} />
}

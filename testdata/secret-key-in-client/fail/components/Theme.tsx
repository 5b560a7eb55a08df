'use client'
// A workspace package, resolved by its package.json name.
import { theme } from '@acme/config'
export const Theme = () => <div className={theme.name} />

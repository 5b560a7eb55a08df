'use client'
// Type-only imports are erased: lib/typed.ts never ships.
import type { KeyConfig } from '@/lib/typed'
import { type Other } from '../lib/typed-other'
export const Typed = (props: { cfg: KeyConfig; other: Other }) => null

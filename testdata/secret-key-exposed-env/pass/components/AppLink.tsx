'use client'
import { env } from '../lib/t3-env'
export const AppLink = () => <a href={env.NEXT_PUBLIC_APP_URL}>App</a>

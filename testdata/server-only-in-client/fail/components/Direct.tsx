'use client'
import 'server-only' // expect: server-only-in-client
export const Direct = () => null

import { createContext } from 'react'

export default createContext<{ theme: string } | null>(null)

'use client'
// lib/report.ts ships with this module, and its secret read with it.
import { loadReport } from '@/lib/report'
export const Report = () => <button onClick={() => loadReport()}>Load</button>

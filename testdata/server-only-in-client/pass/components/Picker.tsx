'use client'
// Types are erased, and server actions cross as references.
import type { Project } from '@/lib/db'
import { refresh } from '@/app/actions'
export function Picker({ projects }: { projects: Project[] }) {
  return <form action={refresh}>{projects.length}</form>
}

'use client'
// Through an alias and a barrel file.
import { listProjects } from '@/lib/data'
export function ProjectList() {
  return <button onClick={() => listProjects()}>Load</button>
}

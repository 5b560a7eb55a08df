'use server'

import { auth } from '@clerk/nextjs/server'
import { archiveProject, renameProject } from '@/lib/projects'

export async function rename(projectId: string, name: string) {
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  await renameProject(userId, projectId, name)
}

export async function archive(projectId: string) {
  await archiveProject(projectId)
}

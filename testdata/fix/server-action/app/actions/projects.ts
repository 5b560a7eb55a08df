'use server'

import { db } from '@/lib/db'

export async function deleteProject(id: string) {
  await db.project.delete({ where: { id } })
}

export const renameProject = async (id: string, name: string) => {
  await db.project.update({ where: { id }, data: { name } })
}

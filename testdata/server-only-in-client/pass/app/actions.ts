'use server'
import 'server-only'
import { db } from '@/lib/db'
export async function refresh() {
  await db.projects()
}

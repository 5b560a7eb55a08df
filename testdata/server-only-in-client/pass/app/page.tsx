// A server component may import server-only modules.
import { db } from '@/lib/db'
import { Picker } from '@/components/Picker'
export default async function Home() {
  return <Picker projects={await db.projects()} />
}

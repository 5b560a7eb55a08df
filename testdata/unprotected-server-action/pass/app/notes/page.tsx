import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export default function NotesPage() {
  async function save(formData: FormData) {
    'use server'
    const { userId } = await auth()
    if (!userId) throw new Error('Unauthorized')
    await db.insert(userId, String(formData.get('text')))
  }
  return <form action={save}><button>Save</button></form>
}

import { db } from '@/lib/db'

export default function NotesPage() {
  async function save(formData: FormData) { // expect: unprotected-server-action
    'use server'
    await db.insert('anyone', String(formData.get('text')))
  }
  return <form action={save}><button>Save</button></form>
}
